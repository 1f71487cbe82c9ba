"""Header names: ours, the usual ones, and those of HubSpot, Salesforce and Pipedrive
exports (each vendor's in its own module).

Keys are headers folded by `fold_header` (case, spaces and punctuation ignored),
values are our field names. A source system's own record id goes to
`external_id`; its id for the parent company goes to `customer_external_id`,
which lets a deals file point at the companies imported from another file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import ModuleType

from salesbench.core import presets_hubspot, presets_pipedrive, presets_salesforce

_NOISE = re.compile(r"[\s_\-./()%:#]+")


def fold_header(header: str) -> str:
    return _NOISE.sub("", header.casefold())


def map_lookup(mapping: Mapping[str, str], value: str) -> str | None:
    """`value` in a map file's first column: exactly as written, else the one key
    that differs from it only in case, spaces or punctuation (never a guess among
    several: Salesforce's 15-character ids differ by case alone)."""
    value = value.strip()
    if value in mapping:
        return mapping[value]
    folded = fold_header(value) or value.casefold()
    found = {v for k, v in mapping.items() if (fold_header(k) or k.casefold()) == folded}
    return found.pop() if len(found) == 1 else None


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
    "公司名称": "customer",
    "企业名称": "customer",
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
    "mobile": "mobile_phone",
    "mobile phone": "mobile_phone",
    "tel": "phone",
    "telephone": "phone",
    "电话": "phone",
    "手机": "mobile_phone",
    "移动电话": "mobile_phone",
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
            "公司名称": "name",
            "企业名称": "name",
            "单位名称": "name",
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
            "年营业额": "annual_purchase",
            "年收入": "annual_purchase",
            # as European Excel lists name it
            "jahresumsatz": "annual_purchase",
            "umsatz": "annual_purchase",
            "chiffre d'affaires": "annual_purchase",
            "facturación anual": "annual_purchase",
            "currency": "currency",  # of the annual purchase
            "currency iso code": "currency",
            "币种": "currency",
            "货币": "currency",
            "währung": "currency",
            "devise": "currency",
            "kind": "kind",
            "contact": "contact_name",
            "contact name": "contact_name",
            "联系人": "contact_name",
            **{
                k: v
                for k, v in _PERSON.items()
                if v in ("phone", "mobile_phone", "email", "first_name", "last_name")
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
            "currency iso code": "currency",  # Salesforce multi-currency: CurrencyIsoCode
            "币种": "currency",
            "货币": "currency",
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


def _vendor(module: ModuleType) -> dict[str, dict[str, str]]:
    return {
        "customers": _folded(module.CUSTOMERS),
        "contacts": _folded(module.CONTACTS),
        "opportunities": _folded(module.OPPORTUNITIES),
    }


_VENDORS = {
    "hubspot": presets_hubspot,
    "salesforce": presets_salesforce,
    "pipedrive": presets_pipedrive,
}
PRESETS: dict[str, dict[str, dict[str, str]]] = {n: _vendor(v) for n, v in _VENDORS.items()}
# Headers that only this vendor writes (not ours, not the usual ones), folded.
SIGNATURES: dict[str, set[str]] = {
    n: {fold_header(h) for h in v.SIGNATURE} for n, v in _VENDORS.items()
}
# Its API names (`AccountId`): headers without spaces, as written, case aside.
API_NAMES: dict[str, set[str]] = {
    n: {h.casefold() for h in v.SIGNATURE if h.isalnum() and not h.islower()}
    for n, v in _VENDORS.items()
}
# A vendor's own stage names that close a deal: folded stage -> won | lost.
PRESET_STAGES: dict[str, dict[str, str]] = {n: _folded(v.STAGES) for n, v in _VENDORS.items()}

# Where a preset's field goes while salesbench has no such field yet: the first
# such column to the general field, the others kept as custom fields.
FALLBACK = {
    "mobile_phone": "phone",
    "work_phone": "phone",
    "home_phone": "phone",
    "other_phone": "phone",
    "work_email": "email",
    "home_email": "email",
    "other_email": "email",
}


# Column names of salesbench's own exports of customers, contacts and deals, which
# no preset may claim.
_OUR_COLUMNS = {
    fold_header(n)
    for n in (
        "id",
        "owner_id",
        "customer_id",
        "created_at",
        "updated_at",
        "closed_at",
        "owner_email",
        "customer_name",
        "import_batch_id",
        "stage_key",
        "stage_entered_at",
        "external_id",
        "external_source",
        "custom",
        # references: what our own files name their parent by
        "owner",
        "customer",
        "customer_external_id",
        "stage",
    )
}


def detect_preset(kind: str, header: list[str]) -> str | None:
    """The export a header comes from: the vendor with the most headers only it
    writes (at least two). Neither our names nor the usual ones count, except a
    vendor's API names written as such (`AccountId`, `CloseDate`: no spaces)."""
    folded = {fold_header(h): h.strip().casefold() for h in header}
    best, best_count = None, 1
    for name, tables in PRESETS.items():
        if kind not in tables:
            continue
        signature = SIGNATURES[name]
        api = API_NAMES[name]
        own = signature - set(GENERIC[kind]) - _OUR_COLUMNS
        count = sum(1 for f, raw in folded.items() if f in own or raw in api)
        if count > best_count:
            best, best_count = name, count
    return best
