"""Main menu. Entries whose URL does not exist (yet) or that the role may not see are left out."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from core import roles

# (section, [(label, url name, roles that may NOT see it)])
MENU = [
    (
        "Vendors",
        [
            ("Vendors", "vendors:vendor_list", ()),
            ("Certifications", "vendors:certification_list", ()),
            ("Contacts", "vendors:contact_list", ()),
        ],
    ),
    (
        "Contracts",
        [
            ("Contracts", "contracts:contract_list", ()),
            ("Obligations", "contracts:obligation_list", ()),
            ("Change requests", "contracts:changerequest_list", ()),
            ("Exit plans", "contracts:exitplan_list", (roles.VENDOR_USER,)),
            ("Spend", "contracts:spendrecord_list", (roles.VENDOR_USER,)),
        ],
    ),
    (
        "Service levels",
        [
            ("SLAs & KPIs", "slas:sla_list", ()),
            ("Measurements", "slas:measurement_list", ()),
            ("Import measurements", "slas:measurement_import", (roles.EXECUTIVE, roles.AUDITOR)),
            ("Breaches", "slas:breach_list", ()),
            ("Service credits", "slas:credit_list", ()),
        ],
    ),
]


def menu_for(user) -> list[tuple[str, list[tuple[str, str]]]]:
    role = roles.role_of(user)
    sections = []
    for title, entries in MENU:
        links = []
        for label, name, hidden_for in entries:
            if role in hidden_for:
                continue
            try:
                links.append((label, reverse(name)))
            except NoReverseMatch:
                continue
        if links:
            sections.append((title, links))
    return sections
