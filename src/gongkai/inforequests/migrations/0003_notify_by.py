from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inforequests", "0002_reply_templates")]

    operations = [
        migrations.AddField(
            model_name="inforequest",
            name="notify_by",
            field=models.CharField(
                blank=True,
                choices=[("email", "电子邮件"), ("sms", "手机短信"), ("post", "邮寄")],
                help_text="申请人选择的文书送达方式；为空表示不通过系统送达（如当面领取）",
                max_length=10,
                verbose_name="送达方式",
            ),
        ),
    ]
