"""arith_branches.dg by hand in Python."""
nums = [a * 10 + b for a in range(10) for b in range(10)]
total = evens = big = 0
for i in nums:
    for j in nums:
        for k in range(20):
            x = i * 200 + j * 2 + k
            if x % 2 == 0:
                evens += 1
                total = total + x / 2
            elif x > 10000:
                big += 1
                total = total - k
            else:
                total = total + 3 * k - j
print(int(total) if total == int(total) else total)
print(evens)
print(big)
