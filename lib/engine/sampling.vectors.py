"""Conformance vectors for lib/engine/sampling.ts, computed the way MLflow does.

The hash and the waterfall below restate mlflow/genai/scorers/online/sampler.py
(OnlineScorerSampler.sample) in plain Python: sha256 of f"{entity_id}:{scorer.name}" as an int
divided by 2**256 (Python's correctly rounded int/int), scorers sorted by sample rate descending,
stop at the first hash strictly greater than rate / prev_rate.

MLflow's sort is stable, so ties keep the order the scorers arrive in. Vigil breaks ties by name
(code point order), which equals MLflow's result when MLflow receives the scorers in name order;
that is how `expected_selected` is computed here (sort by name, then the MLflow loop).

Run: python3 lib/engine/sampling.vectors.py > lib/engine/sampling.vectors.json
"""

import hashlib
import json
import math
import random
import sys


def mlflow_hash(entity_id: str, scorer_name: str) -> float:
    hash_input = f"{entity_id}:{scorer_name}"
    return int(hashlib.sha256(hash_input.encode()).hexdigest(), 16) / (2**256)


def mlflow_sample(entity_id: str, scorers: list[tuple[str, float]]) -> list[str]:
    """MLflow's loop, given (name, sample_rate) pairs in the order MLflow would receive them."""
    if not scorers:
        return []
    rates = dict(scorers)
    sorted_scorers = sorted(scorers, key=lambda s: rates.get(s[0], 0.0), reverse=True)
    selected = []
    prev_rate = 1.0
    for name, _ in sorted_scorers:
        rate = rates.get(name, 0.0)
        conditional_rate = rate / prev_rate if prev_rate > 0 else 0
        if mlflow_hash(entity_id, name) > conditional_rate:
            break
        selected.append(name)
        prev_rate = rate
    return selected


def vigil_expected(entity_id: str, scorers: list[tuple[str, float]]) -> list[str]:
    return mlflow_sample(entity_id, sorted(scorers, key=lambda s: s[0]))


rng = random.Random(20261125)

NAMES = [
    "Safety", "RelevanceToQuery", "Guidelines", "Correctness", "RetrievalGroundedness",
    "response_length", "pii_leak", "tool_call_errors", "latency_budget", "polite-closing",
    "a", "b", "c", "judge:with:colons", "relevância", "安全性", "🚀score", "Z", "z", "_x",
]
RATE_POOL = [0.0, 1.0, 0.5, 0.25, 0.1, 0.3, 0.2, 0.75, 0.9, 0.99, 0.01, 0.001, 1e-6, 1e-9,
             1e-300, 5e-324, 0.7, 0.6, 0.05, 0.33]


def trace_id() -> str:
    return "tr-" + "".join(rng.choice("0123456789abcdef") for _ in range(32))


SPECIAL_TRACE_IDS = ["", "tr-", "tr-00000000000000000000000000000000", "tr-ffffffffffffffffffffffffffffffff",
                     "tr-" + "a" * 200, "trace ünïcödé ✓", "12345"]

hash_cases = []
for tid in SPECIAL_TRACE_IDS + [trace_id() for _ in range(60)]:
    name = rng.choice(NAMES)
    hash_cases.append({"trace_id": tid, "scorer_name": name, "hash": mlflow_hash(tid, name),
                       "hash_hex": mlflow_hash(tid, name).hex()})

sample_cases = []


def add_case(tid: str, scorers: list[tuple[str, float]], note: str) -> None:
    shuffled = scorers[:]
    rng.shuffle(shuffled)  # Vigil must not depend on input order
    sample_cases.append({
        "note": note,
        "trace_id": tid,
        "scorers": [{"name": n, "sample_rate": r} for n, r in shuffled],
        "expected_selected": vigil_expected(tid, scorers),
    })


for i in range(160):
    k = rng.randint(1, 6)
    names = rng.sample(NAMES, k)
    add_case(trace_id(), [(n, rng.choice(RATE_POOL)) for n in names], "random pool rates")
for i in range(40):
    k = rng.randint(1, 5)
    names = rng.sample(NAMES, k)
    add_case(trace_id(), [(n, rng.random()) for n in names], "random uniform rates")
for i in range(30):
    names = rng.sample(NAMES, rng.randint(2, 5))
    rate = rng.choice([0.5, 0.3, 1.0, 0.0, 0.1])
    add_case(trace_id(), [(n, rate) for n in names], "all rates equal: ties broken by name")
for i in range(15):
    add_case(trace_id(), [(n, 1.0) for n in rng.sample(NAMES, 4)], "all rates 1")
    add_case(trace_id(), [(n, 0.0) for n in rng.sample(NAMES, 3)], "all rates 0")
for i in range(20):
    # Rate exactly equal to the scorer's own hash: `>` means it is selected; one ulp below is not.
    tid = trace_id()
    n1, n2 = rng.sample(NAMES, 2)
    h = mlflow_hash(tid, n1)
    add_case(tid, [(n1, h)], "rate equals hash: selected")
    add_case(tid, [(n1, math.nextafter(h, 0.0))], "rate one ulp below hash: not selected")
    add_case(tid, [(n1, h), (n2, h / 2)], "boundary then a lower rate")
for i in range(10):
    add_case(trace_id(), [("only", rng.choice([1e-300, 5e-324, 1e-9]))], "tiny rate")
add_case(trace_id(), [], "no scorers")

# Crafted numerators for the bigint -> double conversion: ties and near-ties at 53 bits.
conversion_cases = []
drop = 256 - 53
base = (1 << 255) | (rng.getrandbits(51) << (drop + 1))  # 53-bit mantissa, lowest kept bit 0
crafted = [
    0, 1, 2, 3, (1 << 53) - 1, 1 << 53, (1 << 53) + 1,
    (1 << 256) - 1,                          # rounds up to exactly 1.0
    (1 << 256),                              # the upper bound itself
    (1 << 255),                              # 0.5
    base | (1 << (drop - 1)),                # exact tie, even mantissa: round down
    base | (1 << drop) | (1 << (drop - 1)),  # exact tie, odd mantissa: round up
    base | (1 << (drop - 1)) | 1,            # just above a tie
    base | ((1 << (drop - 1)) - 1),          # just below a tie
    (1 << 200) | (1 << 147),                 # tie at a lower magnitude, even mantissa
    (1 << 200) | (1 << 148) | (1 << 147),    # tie at a lower magnitude, odd mantissa
]
crafted += [rng.getrandbits(rng.randint(1, 256)) for _ in range(40)]
for n in crafted:
    conversion_cases.append({"numerator": str(n), "value": n / (2**256), "value_hex": (n / (2**256)).hex()})

json.dump({
    "generator": "lib/engine/sampling.vectors.py",
    "python": sys.version.split()[0],
    "hash_cases": hash_cases,
    "sample_cases": sample_cases,
    "conversion_cases": conversion_cases,
}, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
