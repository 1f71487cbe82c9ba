"""HubSpot's column names, as its exports of companies, contacts and deals write
them (property labels: "Record ID", "Company name", "Mobile Phone Number" ...).

"Associated Company IDs" may hold several ids separated by `;`: the first is the
contact's or deal's company. Deal stages are exported by label ("Closed Won") or by
internal id ("closedwon"); both close the deal.
"""

from __future__ import annotations

_ADDRESS = {
    "Street Address": "street",
    "City": "city",
    "State/Region": "region",
    "Postal Code": "postcode",
    "Zip": "postcode",
    "Zip code": "postcode",
    "Country/Region": "country",
}

CUSTOMERS = {
    "Record ID": "external_id",
    "Company name": "name",
    "Industry": "industry",
    "Phone Number": "phone",
    "Company owner": "owner",
    "Annual Revenue": "annual_purchase",
    "Currency": "currency",
    "Number of Employees": "size",
    "Original Source": "source_channel",
    "Website URL": "url",
    "Description": "note",
    "Create Date": "created_at",
    **_ADDRESS,
}

CONTACTS = {
    "Record ID": "external_id",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email": "email",
    "Email address": "email",
    "Phone Number": "phone",  # HubSpot's "primary phone number", of no kind
    "Mobile Phone Number": "mobile_phone",
    "Fax Number": "fax",
    "Job Title": "title",
    "Company Name": "customer",
    "Associated Company": "customer",
    "Associated Company IDs": "customer_external_id",
    "Contact owner": "owner",
    "Website URL": "url",
    "Date of birth": "birthday",
    "Create Date": "created_at",
    **_ADDRESS,
}

OPPORTUNITIES = {
    "Record ID": "external_id",
    "Deal Name": "title",
    "Deal Stage": "stage",
    "Amount": "amount",
    "Currency": "currency",
    "Close Date": "expected_close",
    "Deal owner": "owner",
    "Closed Lost Reason": "lost_reason",
    "Associated Company": "customer",
    "Associated Company IDs": "customer_external_id",
    "Deal Description": "note",
    "Create Date": "created_at",
}

SIGNATURE = {
    "Record ID",
    "Company name",
    "Company owner",
    "Contact owner",
    "Deal owner",
    "Phone Number",
    "Mobile Phone Number",
    "Associated Company",
    "Associated Company IDs",
    "Deal Name",
    "Deal Stage",
    "Create Date",
    "Closed Lost Reason",
    "Lifecycle Stage",
    "Lead Status",
    "Street Address",
    "State/Region",
    "Country/Region",
    "Original Source",
}

# The internal ids of HubSpot's default sales pipeline.
STAGES = {
    "closedwon": "won",
    "closedlost": "lost",
}
