"""Fixtures of the publications tests: one office with two departments and one person per role."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.choices import Art20Category
from gongkai.core.models import User
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.publications import services
from gongkai.publications.models import Publication

from .factories import DepartmentFactory, staff


@pytest.fixture
def dept(db: None) -> Department:
    return DepartmentFactory(name="党政办公室")


@pytest.fixture
def other_dept(db: None) -> Department:
    return DepartmentFactory(name="城市管理办公室")


@pytest.fixture
def drafter(dept: Department) -> User:
    return staff(Role.DEPT_STAFF, department=dept, username="drafter", full_name="李起草")


@pytest.fixture
def head(dept: Department) -> User:
    return staff(Role.DEPT_HEAD, department=dept, username="head", full_name="王科长")


@pytest.fixture
def other_head(other_dept: Department) -> User:
    return staff(Role.DEPT_HEAD, department=other_dept, username="other_head", full_name="赵科长")


@pytest.fixture
def director(db: None) -> User:
    return staff(Role.DIRECTOR, username="director", full_name="陈主任")


@pytest.fixture
def office_head(db: None) -> User:
    return staff(Role.OFFICE_HEAD, username="office_head", full_name="周负责人")


@pytest.fixture
def clerk(db: None) -> User:
    return staff(Role.CLERK, username="clerk", full_name="孙办事员")


@pytest.fixture
def auditor(db: None) -> User:
    return staff(Role.AUDITOR, username="auditor", full_name="吴审计")


FORMED = dt.date(2019, 9, 20)


@pytest.fixture
def draft(drafter: User, dept: Department) -> Publication:
    return services.publication_create(
        actor=drafter,
        title="关于调整街道便民服务时间的通知",
        category=Art20Category.ART20_2,
        department=dept,
        formed_on=FORMED,
        doc_number="东花市发〔2019〕3号",
        body="自10月起，街道便民服务大厅周六上午开放。",
    )


@pytest.fixture
def pending_head(draft: Publication, drafter: User) -> Publication:
    return services.publication_submit(actor=drafter, publication=draft)


@pytest.fixture
def pending_director(pending_head: Publication, head: User) -> Publication:
    return services.publication_approve(actor=head, publication=pending_head, comment="无涉密内容")


@pytest.fixture
def published(pending_director: Publication, director: User) -> Publication:
    return services.publication_approve(actor=director, publication=pending_director, comment="同意公开")
