"""parse_walk.dg by hand in Python: json.dumps then json.loads of 2,000 records, walked."""
import json

statuses = ["open", "won", "lost", "hold"]
rows = []
for n in range(2000):
    rows.append({"id": n, "owner": {"name": f"Owner {n % 37}", "id": n % 37}, "status": statuses[n % 4],
                 "amount": n * 7 % 1000, "lines": [n % 3, n % 5]})
response = json.dumps({"data": rows, "info": {"count": len(rows), "more_records": False}}, separators=(",", ":"))
parsed = json.loads(response)
totals, owners, count = {}, {}, 0
for record in parsed["data"]:
    status, amount = record["status"], record["amount"]
    totals[status] = totals.get(status, 0) + amount
    owner = record["owner"]["name"]
    owners[owner] = owners.get(owner, 0) + len(record["lines"])
    count += 1
print(count)
print(json.dumps(totals, separators=(",", ":")))
print(f"{len(owners)} {owners['Owner 5']}")
print("false")
