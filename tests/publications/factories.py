"""factory_boy factories for the publications ledger, reusable by other apps' tests (e.g. reporting).

They write rows directly, bypassing the services (no audit rows, no role checks), so that a test can
build a year's ledger quickly and with any dates. Use the services when the behaviour under test is
the workflow itself. ``staff()`` makes a user with roles and a department the way ``org`` does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from gongkai.core.choices import Art20Category, OrganisationKind, PostChannel
from gongkai.core.models import User
from gongkai.org.models import Department, Organisation, StaffProfile
from gongkai.org.roles import Role
from gongkai.publications.models import (
    AdministrativeDecision,
    ArchiveTransfer,
    ChannelPost,
    DecisionKind,
    FeeCollection,
    InterpretationForm,
    MatterKind,
    PolicyInterpretation,
    ProcurementProject,
    Publication,
    PublicationAttachment,
    PublicationStatus,
    ServiceMatter,
)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = "东花市街道办事处"
    kind = OrganisationKind.SUBDISTRICT


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class UserFactory(DjangoModelFactory):
    """A user who cannot log in with a password (tests use ``force_login``): hashing is slow."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = "!"  # Django's marker of an unusable password


def staff(
    *roles: Role,
    department: Department | None = None,
    username: str | None = None,
    full_name: str | None = None,
    password: str | None = None,
) -> User:
    """A user with ``roles`` (Django groups) and a staff profile in ``department``; ``password`` only
    when a test logs in through the login form."""
    kwargs: dict[str, Any] = {}
    if username:
        kwargs["username"] = username
    if full_name:
        kwargs["first_name"] = full_name
    user = UserFactory(**kwargs)
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(*(Group.objects.get_or_create(name=r.value)[0] for r in roles))
    StaffProfile.objects.update_or_create(user=user, defaults={"department": department})
    return user


class PublicationFactory(DjangoModelFactory):
    """A draft by default; ``published=True`` gives a published item (no review rows are written)."""

    class Meta:
        model = Publication

    title = factory.Sequence(lambda n: f"主动公开信息{n}")
    category = Art20Category.ART20_2
    department = factory.SubFactory(DepartmentFactory)
    formed_on = dt.date(2019, 3, 1)
    drafter = factory.LazyAttribute(lambda o: staff(Role.DEPT_STAFF, department=o.department))

    class Params:
        published = factory.Trait(
            status=PublicationStatus.PUBLISHED,
            review_round=1,
            published_on=factory.LazyAttribute(lambda o: o.formed_on + dt.timedelta(days=7)),
        )
        normative = factory.Trait(category=Art20Category.ART20_1, doc_kind="normative_documents")


def _stored_pdf(o: Any) -> str:
    from gongkai.core.files import PDF, CleanUpload, store_upload

    return store_upload(CleanUpload(o.content, PDF, "attachment.pdf"), folder="attachments")


class AttachmentFactory(DjangoModelFactory):
    """A PDF attachment whose bytes really are in private storage (``content`` sets them)."""

    class Meta:
        model = PublicationAttachment
        exclude = ("content",)

    publication = factory.SubFactory(PublicationFactory, published=True)
    title = factory.Sequence(lambda n: f"附件{n}")
    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    storage_name = factory.LazyAttribute(_stored_pdf)
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda o: o.publication.drafter)


class ChannelPostFactory(DjangoModelFactory):
    class Meta:
        model = ChannelPost

    channel = PostChannel.WEBSITE
    title = factory.Sequence(lambda n: f"发布{n}")
    posted_on = dt.date(2019, 3, 10)


class PolicyInterpretationFactory(DjangoModelFactory):
    class Meta:
        model = PolicyInterpretation

    title = factory.Sequence(lambda n: f"政策解读{n}")
    policy = factory.SubFactory(PublicationFactory, published=True, category=Art20Category.ART20_1)
    published_on = factory.LazyAttribute(lambda o: o.policy.published_on)
    form = InterpretationForm.TEXT


class ArchiveTransferFactory(DjangoModelFactory):
    class Meta:
        model = ArchiveTransfer
        skip_postgeneration_save = True

    transferred_on = dt.date(2019, 3, 31)
    recipient = "东城区档案局（馆）"
    copies = 3

    @factory.post_generation
    def items(obj: ArchiveTransfer, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.items.set(extracted)


class ServiceMatterFactory(DjangoModelFactory):
    class Meta:
        model = ServiceMatter

    kind = MatterKind.LICENSING
    name = factory.Sequence(lambda n: f"事项{n}")
    department = factory.SubFactory(DepartmentFactory)
    established_on = dt.date(2018, 1, 1)


class AdministrativeDecisionFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeDecision

    kind = DecisionKind.PENALTY
    department = factory.SubFactory(DepartmentFactory)
    decided_on = dt.date(2019, 5, 1)
    count = 1


class FeeCollectionFactory(DjangoModelFactory):
    class Meta:
        model = FeeCollection

    department = factory.SubFactory(DepartmentFactory)
    collected_on = dt.date(2019, 5, 1)
    amount_wan = Decimal("1.0000")


class ProcurementProjectFactory(DjangoModelFactory):
    class Meta:
        model = ProcurementProject

    name = factory.Sequence(lambda n: f"采购项目{n}")
    department = factory.SubFactory(DepartmentFactory)
    contracted_on = dt.date(2019, 6, 1)
    amount_wan = Decimal("4.8635")
