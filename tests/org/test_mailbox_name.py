"""The mailbox's name per office: set by the office, else the usual one for its kind (and level)."""

from __future__ import annotations

import pytest

from gongkai.core.choices import OrganisationKind as K
from gongkai.org.models import Organisation, default_mailbox_name


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        (K.SUBDISTRICT, "东花市街道办事处", "主任信箱"),
        (K.GOVERNMENT, "北京市东城区人民政府", "区长信箱"),
        (K.GOVERNMENT, "沭阳县人民政府", "县长信箱"),
        (K.GOVERNMENT, "淮安市人民政府", "市长信箱"),
        (K.TOWNSHIP, "永安镇人民政府", "镇长信箱"),
        (K.TOWNSHIP, "双河乡人民政府", "乡长信箱"),
        (K.DEPARTMENT, "东城区市场监督管理局", "局长信箱"),
        (K.DEPARTMENT, "东城区发展和改革委员会", "主任信箱"),
    ],
)
def test_default_name_by_kind(kind: str, name: str, expected: str) -> None:
    assert default_mailbox_name(kind, name) == expected
    org = Organisation(name=name, kind=kind)
    assert org.mailbox_title == expected and org.mailbox_addressee == expected.removesuffix("信箱")


def test_the_office_names_it() -> None:
    org = Organisation(name="东花市街道办事处", kind=K.SUBDISTRICT, mailbox_name=" 区长信箱 ")
    assert (org.mailbox_title, org.mailbox_addressee) == ("区长信箱", "区长")
    org.mailbox_name = "民意直通车"  # not named for a person: the write page just says 写信
    assert (org.mailbox_title, org.mailbox_addressee) == ("民意直通车", "")
