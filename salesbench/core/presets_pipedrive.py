"""Pipedrive's column names, as its exports write them: "Object - Field", with the
kind of a phone or email after it ("Person - Phone - Mobile", "Person - Email - Work").

A deal's `Status` (open, won, lost) decides whether it is closed, and its "Won
time" or "Lost time" is when; "Expected close date" stays the expected close.
"""

from __future__ import annotations

_ORG_ADDRESS = {
    "Organization - Address - Street/road name": "street",
    "Organization - Address - City/town/village/locality": "city",
    "Organization - Address - State/county": "region",
    "Organization - Address - ZIP/Postal code": "postcode",
    "Organization - Address - Country": "country",
}

CUSTOMERS = {
    "Organization - ID": "external_id",
    "Organization - Name": "name",
    "Organization - Owner": "owner",
    "Organization - Industry": "industry",
    "Organization - Annual revenue": "annual_purchase",
    "Organization - Number of employees": "size",
    "Organization - Website": "url",
    "Organization - Organization created": "created_at",
    **_ORG_ADDRESS,
}

CONTACTS = {
    "Person - ID": "external_id",
    "Person - Name": "name",
    "Person - First name": "first_name",
    "Person - Last name": "last_name",
    "Person - Email": "email",
    "Person - Email - Work": "work_email",
    "Person - Email - Home": "home_email",
    "Person - Email - Other": "other_email",
    "Person - Phone": "phone",
    "Person - Phone - Work": "work_phone",
    "Person - Phone - Mobile": "mobile_phone",
    "Person - Phone - Home": "home_phone",
    "Person - Phone - Other": "other_phone",
    "Person - Job title": "title",
    "Person - Organization": "customer",
    "Person - Organization ID": "customer_external_id",
    "Organization - Name": "customer",
    "Organization - ID": "customer_external_id",
    "Person - Owner": "owner",
    "Person - Person created": "created_at",
}

OPPORTUNITIES = {
    "Deal - ID": "external_id",
    "Deal - Title": "title",
    "Deal - Value": "amount",
    "Deal - Currency": "currency",
    "Deal - Currency of Value": "currency",
    "Deal - Stage": "stage",
    "Deal - Status": "status",
    "Deal - Won time": "won_at",
    "Deal - Lost time": "lost_at",
    "Deal - Lost reason": "lost_reason",
    "Deal - Owner": "owner",
    "Deal - Expected close date": "expected_close",
    "Deal - Organization": "customer",
    "Deal - Organization ID": "customer_external_id",
    "Organization - Name": "customer",
    "Organization - ID": "customer_external_id",
    "Deal - Deal created": "created_at",
}

SIGNATURE = {
    *(h for h in {**CUSTOMERS, **CONTACTS, **OPPORTUNITIES} if " - " in h),
}

STAGES: dict[str, str] = {}
