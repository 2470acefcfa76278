"""dates_format.dg by hand in Python: 5,000 days, three strftime patterns each."""
import datetime as dt

start = dt.datetime(2020, 1, 1, 8, 30)
out, weekends = [], 0
for n in range(5000):
    day = start + dt.timedelta(days=n)
    iso = day.strftime("%Y-%m-%d")
    label = day.strftime("%d %b %Y %H:%M")
    stamp = day.strftime("%Y-%m-%dT%H:%M:%S")
    if day.isoweekday() in (6, 7):
        weekends += 1
    out.append(f"{iso}|{label}|{stamp}")
print(f"{len(out)} {weekends}")
print(out[0])
print(out[4999])
