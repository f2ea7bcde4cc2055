"""The integration flow, through a client generated from /api/schema/ and nothing else.

Run by ``.ci/api_client.sh`` with the generated package ``covenant_client`` on
``PYTHONPATH``: vendor → contract → SLA → measurements → breaches → credit
statement, plus what integrations rely on (``Location`` on 201, replay with
``Idempotency-Key``, typed 400s). Figures are hand-worked:

* contract: monthly charge 10,000.00 at 10 % at risk → at-risk amount 1,000.00;
* SLA availability, higher is better, target 99.5, monthly mean, allocation 20 %;
* September: 99.9 → met. October: 99.0 and 99.2 → mean 99.1 < 99.5 → breached;
  critical level 98 not crossed → major; credit 1,000.00 × 20 % = 200.00, in
  October (the month the breached period ends); no earn-back → net 200.00.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid
from decimal import Decimal

from covenant_client import AuthenticatedClient
from covenant_client.api.breaches import breaches_list
from covenant_client.api.contracts import contracts_create, contracts_retrieve
from covenant_client.api.measurements import measurements_create
from covenant_client.api.slas import slas_create
from covenant_client.api.task_runs import task_runs_retrieve
from covenant_client.api.vendors import vendors_create, vendors_list
from covenant_client.models import (
    AggregationEnum,
    ContractRequest,
    DirectionEnum,
    MeasurementRequest,
    PeriodEnum,
    RenewalEnum,
    ServiceTypeEnum,
    SLARequest,
    ValidationErrors,
    VendorRequest,
)


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"FAILED: {what}")
    print(f"ok  {what}")


def created(response, what: str):
    check(response.status_code == 201, f"{what}: 201 (got {response.status_code})")
    check(bool(response.headers.get("location")), f"{what}: Location header")
    return response.parsed


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--base-url", required=True)
    args.add_argument("--token", required=True)
    opts = args.parse_args()
    client = AuthenticatedClient(base_url=opts.base_url, token=opts.token, prefix="Token")
    run = uuid.uuid4().hex[:8]

    # Vendor, with an Idempotency-Key sent twice: one vendor, the same answer.
    key = str(uuid.uuid4())
    body = VendorRequest(name=f"Flow {run}", service_type=ServiceTypeEnum.ITO)
    first = vendors_create.sync_detailed(client=client, body=body, idempotency_key=key)
    vendor = created(first, "vendor")
    again = vendors_create.sync_detailed(client=client, body=body, idempotency_key=key)
    check(
        again.status_code == 201 and again.parsed.id == vendor.id,
        "same Idempotency-Key and body: the first answer again",
    )
    listed = vendors_list.sync(client=client, search=f"Flow {run}")
    check(listed.count == 1, "the retried POST created nothing")

    # A typed 400 for bad input.
    bad = vendors_create.sync_detailed(
        client=client, body=VendorRequest(name=f"Flow {run}", service_type=ServiceTypeEnum.BPO)
    )
    check(
        bad.status_code == 400 and isinstance(bad.parsed, ValidationErrors),
        "duplicate name: 400 parsed as ValidationErrors",
    )

    contract = created(
        contracts_create.sync_detailed(
            client=client,
            body=ContractRequest(
                vendor=vendor.id,
                reference=f"FLOW-{run}",
                title="Managed hosting",
                start_date=dt.date(2026, 1, 1),
                end_date=dt.date(2027, 12, 31),
                renewal=RenewalEnum.NONE,
                monthly_charge="10000.00",
                at_risk_percent="10.00",
            ),
        ),
        "contract",
    )
    fetched = contracts_retrieve.sync(client=client, id=contract.id)
    check(fetched.next_renewal_date is None, "renewal none: next_renewal_date is null")

    sla = created(
        slas_create.sync_detailed(
            client=client,
            body=SLARequest(
                contract=contract.id,
                name="Availability",
                direction=DirectionEnum.HIGHER_IS_BETTER,
                target="99.5",
                critical_level="98",
                period=PeriodEnum.MONTHLY,
                aggregation=AggregationEnum.MEAN,
                allocation_percent="20",
                effective_from=dt.date(2026, 1, 1),
                unit="%",
            ),
        ),
        "SLA",
    )

    # A list (bulk summary) and one object (the measurement itself).
    rows = [
        MeasurementRequest(sla=sla.id, date=dt.date(2026, 9, 15), value="99.9"),
        MeasurementRequest(sla=sla.id, date=dt.date(2026, 10, 10), value="99.0"),
    ]
    bulk = measurements_create.sync_detailed(client=client, body=rows)
    check(bulk.status_code == 201, "measurements list: 201")
    check(bulk.parsed.created == 2, "measurements list: 2 created")
    run_id = bulk.parsed.evaluation_task_run
    one = measurements_create.sync_detailed(
        client=client, body=MeasurementRequest(sla=sla.id, date=dt.date(2026, 10, 20), value="99.2")
    )
    measurement = created(one, "one measurement")
    check(Decimal(measurement.value) == Decimal("99.2"), "one measurement: the stored value")

    if run_id is not None:
        for _ in range(60):
            task = task_runs_retrieve.sync(client=client, id=run_id)
            if task.status in ("done", "failed"):
                break
            time.sleep(0.5)
        check(task.status == "done", f"evaluation task run {run_id} done")

    breaches = []
    for _ in range(60):
        breaches = breaches_list.sync(client=client, sla=sla.id).results
        if breaches and Decimal(breaches[0].actual) == Decimal("99.1"):
            break
        time.sleep(0.5)
    check(len(breaches) == 1, "one breach")
    breach = breaches[0]
    check(str(breach.period_start) == "2026-10-01", "breach: October")
    check(Decimal(breach.actual) == Decimal("99.1"), "breach: actual 99.1 (mean of 99.0, 99.2)")
    check(breach.severity == "major", "breach: major")
    check(Decimal(breach.credit) == Decimal("200.00"), "breach: credit 200.00")

    try:
        from covenant_client.api.credit_statements import credit_statements_list
    except ImportError:
        sys.exit("FAILED: the schema has no credit-statements endpoint")
    statements = credit_statements_list.sync(client=client, contract=contract.id).results
    check(len(statements) == 1, "one credit statement")
    statement = statements[0]
    check(str(statement.month) == "2026-10-01", "statement: October 2026")
    figures = {
        "at_risk_amount": "1000.00",
        "credits_uncapped": "200.00",
        "credits_due": "200.00",
        "credits_earned_back": "0.00",
        "credits_pending_earn_back": "0.00",
        "net_credit": "200.00",
    }
    for name, expected in figures.items():
        value = Decimal(getattr(statement, name))
        check(value == Decimal(expected), f"statement: {name} {expected}")


if __name__ == "__main__":
    main()
