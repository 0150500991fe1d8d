#!/usr/bin/env python3
"""Synthetic subsidy applications for the Longgang AI policy, for benchmarks and load tests.

    python3 bench/gen_applications.py N [--seed S] [--format jsonl|csv] > apps.jsonl

Writes N valid applications spread over all policy items, dated 2025-01-10..2028-01-09, from
about N/5 distinct enterprises; about 10% carry a project id (shared by a few rows of the same
enterprise). Money is a string with 2 decimals, mostly 10,000..20,000,000; conditions are mostly
met (~80%) so most applications are eligible. The same N and seed always give the same bytes.
CSV output has the union of all columns as its header and empty cells where a field does not apply.
"""

import argparse
import datetime
import math
import random
import sys

# Field kinds: "s" string (money, text, enum), "b" bool, "n" JSON number (unquoted).
ITEMS = {
    "2": [("compute_fee", "s")],
    "3": [("contract_amount", "s"), ("via_data_exchange", "b"), ("seller_affiliated", "b")],
    "4": [("production_cost", "s"), ("via_open_platform", "b")],
    "5": [("model", "s"), ("requested", "s")],
    "6": [("contract_amount", "s"), ("software_enterprise", "b"), ("model_filed", "b"),
          ("model_evaluated", "b")],
    "7.1": [("product", "s"), ("rd_investment", "s"), ("finalized", "b")],
    "7.2": [("product", "s"), ("preparation_cost", "s"), ("first_sale", "b")],
    "8": [("sector", "s"), ("product_kind", "s"), ("rd_investment", "s")],
    "10": [("actual_investment", "s"), ("government_investment", "b"), ("review_score", "n")],
    "11.1": [("total_investment", "s"), ("review_passed", "b")],
    "11.2": [("plan_level", "s"), ("requested", "s")],
    "12.1": [("platform", "s"), ("recognized", "b"), ("requested", "s")],
    "12.2": [("platform", "s"), ("milestone_met", "b"), ("requested", "s")],
    "13.1": [("park", "s"), ("park_level", "s")],
    "13.2": [("agglomeration_met", "b"), ("ai_enterprises", "n"), ("requested", "s")],
    "16": [("actual_cost", "s"), ("filed_with_authority", "b"), ("significance", "s")],
}
ITEM_NAMES = list(ITEMS)
COMMON = ["id", "enterprise", "item", "date", "project"]

MODELS = ["LG-LLM", "鹏城言", "Qwen-LG", "DeepVision", "智语", "Longgang-7B"]
PRODUCTS = ["智能眼镜", "AI Translator", "智能手表", "Robot Arm", "智能音箱", "AI Camera", "Smart Ring"]
PLATFORMS = ["LG AI Open Platform", "龙岗算力平台", "Industrial Vision Hub", "数据交易平台",
             "Robotics Sandbox"]
PARKS = ["龙岗AI产业园", "Dayun AI Town", "坂田创新谷", "Universiade Software Town", "平湖数字园"]
SECTORS = ["consumer_electronics", "eyewear", "jewelry", "watches", "apparel", "furniture", "toys",
           "other"]
LEVELS3 = ["national", "provincial", "municipal"]
PARK_LEVELS = ["national", "provincial", "municipal", "district", "none"]
SIGNIFICANCE = ["international", "national", "regional"]

# Every text above goes into JSON and CSV verbatim, so none may need escaping or quoting.
for _t in MODELS + PRODUCTS + PLATFORMS + PARKS:
    assert not any(c in _t for c in ',"\\\n\r'), _t

B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def enterprise_code(i):
    """18-char unified social credit style code, distinct for distinct i < 36**6."""
    k = (i * 7919 + 104729) % (36 ** 6)  # 7919 is coprime with 36**6, so this is a bijection
    tail = []
    for _ in range(6):
        k, d = divmod(k, 36)
        tail.append(B36[d])
    return "91440300MA5G" + "".join(reversed(tail))


def make_generators(r):
    """Per-item value generators; r is a bound random.random."""
    log_lo, log_hi = math.log(10_000), math.log(20_000_000)

    def money(lo=log_lo, hi=log_hi):
        x = r()
        if x < 0.015:  # a few small ones
            cents = int(100_000 + r() * 900_000)
        elif x < 0.03:  # and a few very large ones
            cents = int(2_000_000_000 + r() * 3_000_000_000)
        else:
            cents = int(math.exp(lo + (hi - lo) * r()) * 100)
        return "%d.%02d" % divmod(cents, 100)

    def mostly():  # a condition that is usually met
        return r() < 0.8

    def rarely():  # a disqualifying fact that is usually absent
        return r() < 0.15

    def pick(xs):
        return xs[int(r() * len(xs))]

    small = (math.log(10_000), math.log(2_000_000))
    large = (math.log(500_000), math.log(20_000_000))

    def score():
        if r() < 0.85:
            return "%.1f" % (70 + int(r() * 60) / 2)  # 70.0 .. 99.5
        return "%.1f" % (50 + int(r() * 40) / 2)  # 50.0 .. 69.5

    return {
        "2": lambda: [money(*small)],
        "3": lambda: [money(), mostly(), rarely()],
        "4": lambda: [money(), mostly()],
        "5": lambda: ["%s-%d" % (pick(MODELS), 1 + int(r() * 20)), money(*small)],
        "6": lambda: [money(), mostly(), mostly(), mostly()],
        "7.1": lambda: ["%s %s%d" % (pick(PRODUCTS), pick("ABCDEFGH"), 1 + int(r() * 99)), money(),
                        mostly()],
        "7.2": lambda: ["%s %s%d" % (pick(PRODUCTS), pick("ABCDEFGH"), 1 + int(r() * 99)), money(),
                        mostly()],
        "8": lambda: [pick(SECTORS),
                      "ai_product" if r() < 0.5 else ("smart_wearable" if r() < 0.6 else "other"),
                      money()],
        "10": lambda: [money(*large), rarely(), score()],
        "11.1": lambda: [money(*large), mostly()],
        "11.2": lambda: [pick(LEVELS3), money(*small)],
        "12.1": lambda: [pick(PLATFORMS), mostly(), money(*small)],
        "12.2": lambda: [pick(PLATFORMS), mostly(), money(*small)],
        "13.1": lambda: [pick(PARKS), "none" if r() < 0.1 else pick(PARK_LEVELS[:4])],
        "13.2": lambda: [mostly(), str(20 + int(r() * 180) if r() < 0.8 else 1 + int(r() * 19)),
                         money(*small)],
        "16": lambda: [money(), mostly(), pick(SIGNIFICANCE)],
    }


def generate(n, seed, fmt, out):
    rng = random.Random(seed)
    r = rng.random
    gens = make_generators(r)

    first = datetime.date(2025, 1, 10)
    last = datetime.date(2028, 1, 9)
    dates = [(first + datetime.timedelta(days=d)).isoformat() for d in range((last - first).days + 1)]
    n_ent = max(1, n // 5)
    n_proj = max(1, n // 4)  # ~0.1n draws from n/4 ids: most unique, some shared
    ent_cache = {}
    id_width = max(7, len(str(n)))

    # Column layout: common columns, then item fields in order of first appearance.
    columns = list(COMMON)
    for specs in ITEMS.values():
        for name, _ in specs:
            if name not in columns:
                columns.append(name)
    col_index = {c: i for i, c in enumerate(columns)}
    # Per item: JSON key prefixes + kinds, and CSV column indexes.
    json_keys = {it: [(',"%s":' % name, kind) for name, kind in specs] for it, specs in ITEMS.items()}
    csv_cols = {it: [col_index[name] for name, _ in specs] for it, specs in ITEMS.items()}
    ncols = len(columns)

    chunk = []
    if fmt == "csv":
        chunk.append(",".join(columns) + "\n")
    for i in range(1, n + 1):
        item = ITEM_NAMES[int(r() * len(ITEM_NAMES))]
        date = dates[int(r() * len(dates))]
        project = None
        if r() < 0.1:
            p = int(r() * n_proj)
            project = "PRJ-%d" % (p + 1)
            e = (p * 2654435761) % n_ent  # a project belongs to one enterprise
        else:
            e = int(r() * n_ent)
        ent = ent_cache.get(e)
        if ent is None:
            ent = ent_cache[e] = enterprise_code(e)
        rid = "B%0*d" % (id_width, i)
        vals = gens[item]()

        if fmt == "csv":
            row = [""] * ncols
            row[0] = rid
            row[1] = ent
            row[2] = item
            row[3] = date
            if project:
                row[4] = project
            for c, v in zip(csv_cols[item], vals):
                row[c] = ("true" if v else "false") if v is True or v is False else v
            chunk.append(",".join(row) + "\n")
        else:
            parts = ['{"id":"', rid, '","enterprise":"', ent, '","item":"', item, '","date":"', date, '"']
            if project:
                parts.append(',"project":"')
                parts.append(project)
                parts.append('"')
            for (key, kind), v in zip(json_keys[item], vals):
                parts.append(key)
                if kind == "s":
                    parts.append('"')
                    parts.append(v)
                    parts.append('"')
                elif kind == "b":
                    parts.append("true" if v else "false")
                else:
                    parts.append(v)
            parts.append("}\n")
            chunk.append("".join(parts))

        if len(chunk) >= 20000:
            out.write("".join(chunk).encode("utf-8"))
            chunk.clear()
    if chunk:
        out.write("".join(chunk).encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of applications")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    args = ap.parse_args()
    if args.n < 0:
        ap.error("N must be >= 0")
    try:
        generate(args.n, args.seed, args.format, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        sys.stderr.close()  # e.g. piped into head
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
