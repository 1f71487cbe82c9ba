"""Header names: ours, the usual ones, and those of HubSpot, Salesforce and Pipedrive exports.

Keys are headers folded by `fold_header` (case, spaces and punctuation ignored),
values are our field names. A source system's own record id goes to
`external_id`; its id for the parent company goes to `customer_external_id`,
which lets a deals file point at the companies imported from another file.
"""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\s_\-./()%:#]+")


def fold_header(header: str) -> str:
    return _NOISE.sub("", header.casefold())


def _folded(table: dict[str, str]) -> dict[str, str]:
    return {fold_header(k): v for k, v in table.items()}


_SHARED = {
    "id": "id",
    "uuid": "id",
    "external id": "external_id",
    "record id": "external_id",
    "source id": "external_id",
    "external source": "external_source",
    "owner": "owner",
    "owner email": "owner",
    "owner_email": "owner",
    "rep": "owner",
    "sales rep": "owner",
    "负责人": "owner",
    "销售": "owner",
}
_PARENT = {
    "customer": "customer",
    "customer name": "customer",
    "customer_name": "customer",
    "company": "customer",
    "company name": "customer",
    "account": "customer",
    "account name": "customer",
    "organization": "customer",
    "客户": "customer",
    "客户名称": "customer",
    "公司": "customer",
    "customer id": "customer_id",
    "customer external id": "customer_external_id",
    "company id": "customer_external_id",
    "account id": "customer_external_id",
    "organization id": "customer_external_id",
}
_PERSON = {
    "name": "name",
    "full name": "name",
    "姓名": "name",
    "联系人": "name",
    "first name": "first_name",
    "given name": "first_name",
    "名": "first_name",
    "last name": "last_name",
    "family name": "last_name",
    "surname": "last_name",
    "姓": "last_name",
    "title": "title",
    "job title": "title",
    "position": "title",
    "职位": "title",
    "phone": "phone",
    "phone number": "phone",
    "mobile": "phone",
    "mobile phone": "phone",
    "tel": "phone",
    "telephone": "phone",
    "电话": "phone",
    "手机": "phone",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "邮箱": "email",
    "role": "decision_role",
    "decision role": "decision_role",
}

GENERIC: dict[str, dict[str, str]] = {
    "customers": _folded(
        {
            **_SHARED,
            "name": "name",
            "customer": "name",
            "customer name": "name",
            "company": "name",
            "company name": "name",
            "客户": "name",
            "客户名称": "name",
            "公司": "name",
            "number": "number",
            "customer number": "number",
            "客户编号": "number",
            "industry": "industry",
            "行业": "industry",
            "size": "size",
            "employees": "size",
            "number of employees": "size",
            "规模": "size",
            "source": "source_channel",
            "source channel": "source_channel",
            "lead source": "source_channel",
            "来源": "source_channel",
            "grade": "grade",
            "等级": "grade",
            "status": "status",
            "paused until": "paused_until",
            "annual purchase": "annual_purchase",
            "annual revenue": "annual_purchase",
            "年采购额": "annual_purchase",
            "kind": "kind",
            "contact": "contact_name",
            "contact name": "contact_name",
            "联系人": "contact_name",
            **{
                k: v
                for k, v in _PERSON.items()
                if v in ("phone", "email", "first_name", "last_name")
            },
            "title": "title",
            "job title": "title",
        }
    ),
    "contacts": _folded({**_SHARED, **_PARENT, **_PERSON}),
    "opportunities": _folded(
        {
            **_SHARED,
            **_PARENT,
            "title": "title",
            "name": "title",
            "deal": "title",
            "deal name": "title",
            "opportunity": "title",
            "opportunity name": "title",
            "商机": "title",
            "playbook": "playbook_key",
            "playbook key": "playbook_key",
            "stage": "stage",
            "stage key": "stage",
            "deal stage": "stage",
            "阶段": "stage",
            "mode": "mode",
            "amount": "amount",
            "value": "amount",
            "deal value": "amount",
            "金额": "amount",
            "currency": "currency",
            "币种": "currency",
            "expected close": "expected_close",
            "close date": "expected_close",
            "expected close date": "expected_close",
            "预计成交": "expected_close",
            "status": "status",
            "lost reason": "lost_reason",
        }
    ),
    "activities": _folded(
        {
            **_SHARED,
            **_PARENT,
            "opportunity id": "opportunity_id",
            "opportunity external id": "opportunity_external_id",
            "contact": "contact",
            "contact name": "contact",
            "channel": "channel",
            "type": "channel",
            "渠道": "channel",
            "started at": "started_at",
            "start": "started_at",
            "date": "started_at",
            "时间": "started_at",
            "ended at": "ended_at",
            "end": "ended_at",
            "summary": "summary",
            "notes": "summary",
            "内容": "summary",
            "needs": "needs",
            "objections": "objections",
            "commitments": "commitments",
            "next step owner": "next_step_owner",
            "next step date": "next_step_date",
            "next step": "next_step_content",
            "next step content": "next_step_content",
            "help needed": "help_needed",
        }
    ),
    "tasks": _folded(
        {
            **_SHARED,
            **_PARENT,
            "opportunity id": "opportunity_id",
            "opportunity external id": "opportunity_external_id",
            "title": "title",
            "subject": "title",
            "task": "title",
            "任务": "title",
            "due": "due_at",
            "due at": "due_at",
            "due date": "due_at",
            "截止": "due_at",
            "status": "status",
            "completed at": "completed_at",
        }
    ),
}

PRESETS: dict[str, dict[str, dict[str, str]]] = {
    "hubspot": {
        "customers": _folded(
            {
                "Record ID": "external_id",
                "Company name": "name",
                "Industry": "industry",
                "Phone Number": "phone",
                "Company owner": "owner",
                "Annual Revenue": "annual_purchase",
                "Number of Employees": "size",
                "Original Source": "source_channel",
            }
        ),
        "contacts": _folded(
            {
                "Record ID": "external_id",
                "First Name": "first_name",
                "Last Name": "last_name",
                "Email": "email",
                "Phone Number": "phone",
                "Job Title": "title",
                "Company Name": "customer",
                "Associated Company": "customer",
                "Associated Company IDs": "customer_external_id",
                "Contact owner": "owner",
            }
        ),
        "opportunities": _folded(
            {
                "Record ID": "external_id",
                "Deal Name": "title",
                "Deal Stage": "stage",
                "Amount": "amount",
                "Close Date": "expected_close",
                "Deal owner": "owner",
                "Associated Company": "customer",
                "Associated Company IDs": "customer_external_id",
            }
        ),
    },
    "salesforce": {
        "customers": _folded(
            {
                "Account ID": "external_id",
                "Account Name": "name",
                "Account Number": "number",
                "Industry": "industry",
                "Phone": "phone",
                "Account Owner": "owner",
                "Annual Revenue": "annual_purchase",
                "Employees": "size",
                "Account Source": "source_channel",
            }
        ),
        "contacts": _folded(
            {
                "Contact ID": "external_id",
                "First Name": "first_name",
                "Last Name": "last_name",
                "Email": "email",
                "Phone": "phone",
                "Title": "title",
                "Account Name": "customer",
                "Account ID": "customer_external_id",
                "Contact Owner": "owner",
            }
        ),
        "opportunities": _folded(
            {
                "Opportunity ID": "external_id",
                "Opportunity Name": "title",
                "Account Name": "customer",
                "Account ID": "customer_external_id",
                "Stage": "stage",
                "Amount": "amount",
                "Opportunity Currency": "currency",
                "Close Date": "expected_close",
                "Opportunity Owner": "owner",
            }
        ),
    },
    "pipedrive": {
        "customers": _folded(
            {
                "Organization - ID": "external_id",
                "Organization - Name": "name",
                "Organization - Owner": "owner",
                "Organization - Industry": "industry",
            }
        ),
        "contacts": _folded(
            {
                "Person - ID": "external_id",
                "Person - Name": "name",
                "Person - Email": "email",
                "Person - Phone": "phone",
                "Person - Job title": "title",
                "Person - Organization": "customer",
                "Person - Organization ID": "customer_external_id",
                "Person - Owner": "owner",
            }
        ),
        "opportunities": _folded(
            {
                "Deal - ID": "external_id",
                "Deal - Title": "title",
                "Deal - Value": "amount",
                "Deal - Currency": "currency",
                "Deal - Stage": "stage",
                "Deal - Status": "status",
                "Deal - Lost reason": "lost_reason",
                "Deal - Owner": "owner",
                "Deal - Expected close date": "expected_close",
                "Deal - Organization": "customer",
                "Deal - Organization ID": "customer_external_id",
            }
        ),
    },
}
