"""csv_clean.dg by hand in Python: 3,000 CSV lines split, trimmed, lower-cased, cleaned."""
lines = []
for n in range(3000):
    lines.append(f" {n} , Name-{n} ,  CITY {n % 17}, , +1 (555) {n % 1000} , x{n % 7}")
text = "\n".join(lines).replace(" x", " ")
cleaned, cities = [], {}
for row in text.split("\n"):
    fields = []
    for field in row.split(","):
        value = field.strip()
        if value != "":
            fields.append(value.lower().replace("-", " "))
    city = fields[2]
    cities[city] = cities.get(city, 0) + 1
    cleaned.append("|".join(fields))
print(f"{len(cleaned)} {len(cities)}")
print(cleaned[0])
print(cleaned[2999])
