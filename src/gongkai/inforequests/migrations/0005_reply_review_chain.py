"""The review chain of replies (issue 11, point 4): the office's chain, each round's decisions, and the
signer on the reply. Seeds the default chain; a reply issued before the chain existed was signed by
whoever issued it (the 公开办 signed alone), so it is recorded as signed by them on its issue date."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def seed_chain_and_sign_issued(apps, schema_editor):
    from gongkai.inforequests.review import DEFAULT_CHAIN

    ReplyReviewStep = apps.get_model("inforequests", "ReplyReviewStep")
    if not ReplyReviewStep.objects.exists():
        for position, step in enumerate(DEFAULT_CHAIN, 1):
            ReplyReviewStep.objects.create(
                position=position, name=step.name, role=step.role, own_department=step.own_department
            )
    ReplyNotice = apps.get_model("inforequests", "ReplyNotice")
    for reply in ReplyNotice.objects.filter(issued_on__isnull=False):
        reply.review_status = "signed"
        reply.signed_by_id = reply.issued_by_id
        reply.signed_on = reply.issued_on
        reply.save(update_fields=("review_status", "signed_by", "signed_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("inforequests", "0004_online_correction_released_files"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReplyReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveIntegerField(verbose_name="审核轮次")),
                ("position", models.PositiveSmallIntegerField(verbose_name="步骤")),
                ("step_name", models.CharField(max_length=30, verbose_name="步骤名称")),
                ("is_signing", models.BooleanField(default=False, verbose_name="签发")),
                (
                    "decision",
                    models.CharField(
                        choices=[("approved", "同意"), ("returned", "退回修改")],
                        max_length=16,
                        verbose_name="审核结论",
                    ),
                ),
                ("opinion", models.TextField(blank=True, verbose_name="审核意见")),
                ("decided_on", models.DateField(verbose_name="审核日期")),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="记录时间"),
                ),
            ],
            options={
                "verbose_name": "答复审核记录",
                "verbose_name_plural": "答复审核记录",
                "ordering": ("reply", "round", "position"),
            },
        ),
        migrations.CreateModel(
            name="ReplyReviewStep",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(unique=True, verbose_name="顺序")),
                ("name", models.CharField(max_length=30, verbose_name="步骤名称")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("disclosure_clerk", "公开办工作人员"),
                            ("department_staff", "科室工作人员"),
                            ("department_head", "科室负责人"),
                            ("supervising_director", "主管主任"),
                            ("office_head", "公开办负责人"),
                            ("auditor", "只读审计"),
                        ],
                        max_length=30,
                        verbose_name="审核人角色",
                    ),
                ),
                (
                    "own_department",
                    models.BooleanField(
                        default=False,
                        help_text="如：由本案承办科室的科室负责人审核",
                        verbose_name="限本案承办科室",
                    ),
                ),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "答复审核步骤",
                "verbose_name_plural": "答复审核流程",
                "ordering": ("position",),
            },
        ),
        migrations.AddField(
            model_name="replynotice",
            name="review_chain",
            field=models.JSONField(blank=True, default=list, verbose_name="本轮审核流程"),
        ),
        migrations.AddField(
            model_name="replynotice",
            name="review_round",
            field=models.PositiveIntegerField(default=0, verbose_name="审核轮次"),
        ),
        migrations.AddField(
            model_name="replynotice",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("draft", "未送审"),
                    ("pending", "审核中"),
                    ("returned", "已退回修改"),
                    ("signed", "已签发"),
                ],
                default="draft",
                max_length=20,
                verbose_name="审核状态",
            ),
        ),
        migrations.AddField(
            model_name="replynotice",
            name="review_step",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="待审核步骤"),
        ),
        migrations.AddField(
            model_name="replynotice",
            name="signed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="签发人",
            ),
        ),
        migrations.AddField(
            model_name="replynotice",
            name="signed_on",
            field=models.DateField(blank=True, null=True, verbose_name="签发日期"),
        ),
        migrations.AddField(
            model_name="replynotice",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="送审人",
            ),
        ),
        migrations.AddField(
            model_name="replynotice",
            name="submitted_on",
            field=models.DateField(blank=True, null=True, verbose_name="送审日期"),
        ),
        migrations.AlterField(
            model_name="replynotice",
            name="issued_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="发出人",
            ),
        ),
        migrations.RunPython(seed_chain_and_sign_issued, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="replynotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("review_status", "signed"), _negated=True),
                    ("signed_on__isnull", False),
                    _connector="OR",
                ),
                name="inforeq_reply_signed_complete",
            ),
        ),
        migrations.AddConstraint(
            model_name="replynotice",
            constraint=models.CheckConstraint(
                condition=models.Q(("issued_on__isnull", True), ("review_status", "signed"), _connector="OR"),
                name="inforeq_reply_issued_signed",
            ),
        ),
        migrations.AddField(
            model_name="replyreview",
            name="reply",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reviews",
                to="inforequests.replynotice",
            ),
        ),
        migrations.AddField(
            model_name="replyreview",
            name="reviewer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="审核人",
            ),
        ),
        migrations.AddField(
            model_name="replyreviewstep",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="replyreview",
            constraint=models.UniqueConstraint(
                fields=("reply", "round", "position"), name="inforeq_review_once_per_step"
            ),
        ),
        migrations.AddConstraint(
            model_name="replyreview",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision", "returned"), _negated=True),
                    models.Q(("opinion", ""), _negated=True),
                    _connector="OR",
                ),
                name="inforeq_review_return_has_reason",
            ),
        ),
    ]
