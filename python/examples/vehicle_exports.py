"""The README's Python example: China's vehicle exports to Russia per year,
from the bundled graph, as a pandas table and a matplotlib chart.

    python python/examples/vehicle_exports.py [docs/python-vehicle-exports.png]
"""

import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt

import kgq

out = sys.argv[1] if len(sys.argv) > 1 else "docs/python-vehicle-exports.png"

db = kgq.Database.example()
conn = kgq.Connection(db)
df = conn.execute(
    """
    MATCH (:Country {name: $from})-[e:EXPORTED_TO]->(:Country {name: $to})
    WHERE e.goods = 'automobiles'
    RETURN e.year AS year, e.vehicles AS vehicles, e.source AS source
    ORDER BY year
    """,
    {"from": "China", "to": "Russia"},
).get_as_df()
print(df)

ax = df.plot.bar(x="year", y="vehicles", legend=False, color="#b22222", rot=0)
ax.set_title("China's vehicle exports to Russia (bundled article graph)")
ax.set_xlabel("year")
ax.set_ylabel("vehicles")
ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v / 1000:,.0f}k"))
for x, v in enumerate(df["vehicles"]):
    ax.annotate(f"{v:,}", (x, v), ha="center", va="bottom")
plt.tight_layout()
plt.savefig(out, dpi=100)
print("saved", out)
