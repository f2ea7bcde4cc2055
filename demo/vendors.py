"""Demo vendors: a dozen providers across tiers, service types, statuses and countries,
with their certifications (some expired, some expiring within 60 days of today) and the
communication matrix (client and vendor side, operational / tactical / strategic)."""

from __future__ import annotations

from core.seeding import Seeder, add_months
from vendors.models import Certification, Contact, Vendor

# name: (legal name, country, service type, tier, status, owner handle, parent,
#        services description, tier reason)
VENDORS = {
    "Northwind BPO": (
        "Northwind Business Process Outsourcing Pvt Ltd",
        "India",
        "bpo",
        1,
        "active",
        "manager",
        None,
        "Order-to-cash and accounts payable processing, customer correspondence, "
        "claims intake for the retail and insurance divisions.",
        "Runs revenue-critical order-to-cash; more than 400 FTE; handles customer personal data.",
    ),
    "Meridian Infotech": (
        "Meridian Infotech Services Ltd",
        "India",
        "ito",
        1,
        "active",
        "governance",
        None,
        "Application management of the core ERP and e-commerce platform, 24x7 infrastructure "
        "operations, nightly batch and integration monitoring.",
        "Operates the ERP and web shop end to end; an outage stops order intake.",
    ),
    "Luzon Contact Solutions": (
        "Luzon Contact Solutions Inc.",
        "Philippines",
        "bpo",
        2,
        "active",
        "manager",
        None,
        "Omnichannel customer service (voice, chat, e-mail) in English and Spanish, "
        "first-line complaint handling.",
        "Customer-facing; reputational impact, but volumes can be shifted to a second site.",
    ),
    "Vistula Software Services": (
        "Vistula Software Services sp. z o.o.",
        "Poland",
        "ito",
        2,
        "active",
        "governance",
        None,
        "Agile development teams for the mobile apps and the loyalty platform; third-line support.",
        "Owns the roadmap delivery of two strategic digital products.",
    ),
    "Liffey Cloud Operations": (
        "Liffey Cloud Operations DAC",
        "Ireland",
        "ito",
        2,
        "active",
        "manager",
        None,
        "Public-cloud landing zone operations, FinOps reporting, backup and disaster recovery.",
        "Hosts production workloads; data-residency obligations under GDPR.",
    ),
    "Tagus Finance Operations": (
        "Tagus Finance Operations, Lda.",
        "Portugal",
        "bpo",
        3,
        "active",
        "governance",
        None,
        "Record-to-report: general ledger reconciliations, intercompany, month-end close support.",
        "Important for the close calendar, but work is checked by the in-house controllers.",
    ),
    "Sierra Madre Nearshore": (
        "Sierra Madre Nearshore S.A. de C.V.",
        "Mexico",
        "both",
        2,
        "active",
        "governance",
        None,
        "Nearshore service desk for the Americas and HR back-office processing.",
        "Single provider for the Americas service desk; Spanish-language coverage.",
    ),
    "Cape Shared Services": (
        "Cape Shared Services (Pty) Ltd",
        "South Africa",
        "bpo",
        3,
        "active",
        "governance",
        None,
        "Collections, customer onboarding checks (KYC document review) and data entry.",
        "Moderate volumes; documented fallback to Northwind BPO.",
    ),
    "Carpathia Data Labs": (
        "Carpathia Data Labs SRL",
        "Romania",
        "ito",
        4,
        "onboarding",
        "governance",
        None,
        "Data engineering and BI report development (pilot).",
        "Pilot scope only; no production access yet.",
    ),
    "Manila Digital Works": (
        "Manila Digital Works Corp.",
        "Philippines",
        "bpo",
        4,
        "active",
        "governance",
        "Luzon Contact Solutions",
        "Sub-contractor of Luzon Contact Solutions for overflow e-mail handling and "
        "back-office data capture.",
        "Fourth party: overflow only, supervised through Luzon Contact Solutions.",
    ),
    "Baltic Helpdesk Partners": (
        "Baltic Helpdesk Partners UAB",
        "Lithuania",
        "ito",
        3,
        "exiting",
        "governance",
        None,
        "Second-line desktop support for the Nordic offices (being transitioned in-house).",
        "Exit under way; service levels still contractual until the end of the term.",
    ),
    "Andes Analytics": (
        "Andes Analytics S.A.S.",
        "Colombia",
        "ito",
        4,
        "prospect",
        "governance",
        None,
        "Candidate for advanced-analytics and data-science staff augmentation.",
        "Prospect: no services contracted yet.",
    ),
}

# Vendors whose tier changed since they were onboarded: (earlier tier, earlier reason).
# Created at the earlier tier and moved to today's, so the tier history has a story.
TIER_HISTORY = {
    "Luzon Contact Solutions": (3, "Pilot volumes only (one Manila team)."),
    "Meridian Infotech": (2, "Infrastructure operations only; ERP still run in-house."),
    "Baltic Helpdesk Partners": (2, "Sole second-line support for the Nordic offices."),
}

# (vendor, kind, cmmi level, scope, issued months ago, expires in days from today)
CERTIFICATIONS = [
    ("Northwind BPO", "iso27001", None, "Pune and Chennai delivery centres", 26, 420),
    ("Northwind BPO", "soc2_type2", None, "Order-to-cash services", 11, 35),
    ("Northwind BPO", "pci_dss", None, "Card payment handling", 13, -20),
    ("Meridian Infotech", "iso27001", None, "Bengaluru and Hyderabad", 20, 540),
    ("Meridian Infotech", "cmmi", 5, "Application development and maintenance", 30, 300),
    ("Meridian Infotech", "soc2_type2", None, "Managed infrastructure services", 12, 12),
    ("Luzon Contact Solutions", "iso27001", None, "Manila and Cebu sites", 28, 200),
    ("Luzon Contact Solutions", "pci_dss", None, "Voice payments IVR", 12, 48),
    ("Vistula Software Services", "iso27001", None, "Kraków office", 18, 600),
    ("Vistula Software Services", "cmmi", 3, "Software development", 35, -45),
    ("Liffey Cloud Operations", "iso27001", None, "Dublin operations centre", 16, 700),
    ("Liffey Cloud Operations", "soc2_type2", None, "Cloud operations", 10, 120),
    ("Tagus Finance Operations", "iso9001", None, "Finance operations, Lisbon", 24, 380),
    ("Sierra Madre Nearshore", "iso27001", None, "Guadalajara", 22, 25),
    ("Sierra Madre Nearshore", "hipaa", None, "HR benefits administration", 14, 250),
    ("Cape Shared Services", "iso9001", None, "Cape Town", 40, -110),
    ("Cape Shared Services", "iso27001", None, "Cape Town", 15, 480),
    ("Carpathia Data Labs", "iso27001", None, "Cluj-Napoca", 6, 900),
    ("Baltic Helpdesk Partners", "iso27001", None, "Vilnius", 33, -5),
]

VENDOR_SERVICE = "vendors.services.vendor_create"

CLIENT_CONTACTS = [
    ("operational", "Service delivery lead"),
    ("tactical", "Vendor relationship manager"),
    ("strategic", "Executive sponsor"),
]
VENDOR_CONTACTS = [
    ("operational", "Delivery manager"),
    ("tactical", "Account director"),
    ("strategic", "Chief operating officer"),
]
CLIENT_PEOPLE = ["Hannah Becker", "Mateo Lindqvist", "Elena Marchetti"]
VENDOR_PEOPLE = {
    "India": ["Arjun Mehta", "Kavita Rao", "Sanjay Iyer"],
    "Philippines": ["Maria Santos", "Jose Reyes", "Andrea Cruz"],
    "Poland": ["Piotr Nowak", "Katarzyna Wójcik", "Tomasz Lewandowski"],
    "Ireland": ["Aoife Byrne", "Cian Murphy", "Siobhán Kelly"],
    "Portugal": ["Inês Carvalho", "João Ferreira", "Rita Sousa"],
    "Mexico": ["Valeria Hernández", "Diego Ramírez", "Lucía Torres"],
    "South Africa": ["Thandi Nkosi", "Pieter van Wyk", "Lerato Dlamini"],
    "Romania": ["Andrei Popescu", "Ioana Dumitru", "Mihai Stan"],
    "Lithuania": ["Rūta Kazlauskienė", "Tomas Petrauskas", "Ieva Jankauskaitė"],
    "Colombia": ["Camila Gómez", "Santiago Rojas", "Daniela Vargas"],
}


def seed_vendors(seeder: Seeder) -> dict[str, Vendor]:
    """Vendors (parents first), then their certifications and contacts."""
    vendors: dict[str, Vendor] = {}
    for name, row in VENDORS.items():
        legal, country, stype, tier, status, owner, parent, services, reason = row
        data = {
            "legal_name": legal,
            "country": country,
            "service_type": stype,
            "tier": tier,
            "tier_reason": reason,
            "status": status,
            "relationship_owner": seeder.users[owner],
            "parent": vendors[parent] if parent else None,
            "services_description": services,
        }
        if name in TIER_HISTORY and not Vendor.objects.filter(name=name).exists():
            earlier, earlier_reason = TIER_HISTORY[name]
            seeder.upsert(
                Vendor,
                lookup={"name": name},
                data={**data, "tier": earlier, "tier_reason": earlier_reason},
                service=VENDOR_SERVICE,
            )
        vendors[name] = seeder.upsert(
            Vendor, lookup={"name": name}, data=data, service=VENDOR_SERVICE
        )
    _seed_certifications(seeder, vendors)
    _seed_contacts(seeder, vendors)
    return vendors


def _seed_certifications(seeder: Seeder, vendors: dict[str, Vendor]) -> None:
    for vendor_name, kind, level, scope, issued_ago, expires_in in CERTIFICATIONS:
        issued = add_months(seeder.today, -issued_ago)
        seeder.upsert(
            Certification,
            lookup={"vendor": vendors[vendor_name], "kind": kind, "cmmi_level": level},
            data={
                "scope": scope,
                "issued_on": issued,
                "expires_on": seeder.days(expires_in),
            },
            service="vendors.services.certification_create",
        )


def _seed_contacts(seeder: Seeder, vendors: dict[str, Vendor]) -> None:
    for name, vendor in vendors.items():
        domain = name.split()[0].lower() + ".example"
        people = VENDOR_PEOPLE[vendor.country]
        rows = [
            ("client", level, role, person, f"{person.split()[0].lower()}@covenant.example")
            for (level, role), person in zip(CLIENT_CONTACTS, CLIENT_PEOPLE, strict=True)
        ] + [
            ("vendor", level, role, person, f"{_ascii(person.split()[0])}@{domain}")
            for (level, role), person in zip(VENDOR_CONTACTS, people, strict=True)
        ]
        for index, (side, level, role, person, email) in enumerate(rows):
            seeder.upsert(
                Contact,
                lookup={"vendor": vendor, "name": person, "side": side},
                data={
                    "level": level,
                    "role": role,
                    "email": email,
                    "phone": f"+{30 + len(name)} {200 + index * 37} {5000 + index * 1111}",
                },
                service="vendors.services.contact_create",
            )


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
