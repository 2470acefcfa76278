"""json_payload.dg by hand in Python: 10,000 records, one json.dumps."""
import json

records = []
for n in range(10_000):
    records.append({"id": n, "name": f"Customer {n}", "email": f"customer{n}@example.com",
                    "active": n % 3 == 0, "tags": ["crm", f"tier{n % 5}"]})
text = json.dumps({"data": records, "count": len(records)}, separators=(",", ":"))
print(len(text))
print(text[:120])
