"""Compute reference ranking metrics with ranx for tests/reference_metrics.rs.

Writes tests/data/reference_metrics.json: a fixed, seeded set of ranked lists with
their relevant products, and per list the precision, recall, NDCG, average precision,
reciprocal rank and hit at several cutoffs, as computed by ranx. pytrec_eval (the
Python binding of trec_eval) recomputes precision, recall, NDCG and AP as a second
opinion, and the script stops if the two disagree.

Run once after changing the cases (needs network access to PyPI):

    python3 -m venv /tmp/ranx-venv
    /tmp/ranx-venv/bin/pip install ranx==0.3.21 pytrec_eval-terrier==0.5.11
    /tmp/ranx-venv/bin/python scripts/reference_metrics.py
"""

import json
import random
from pathlib import Path

import pytrec_eval
import ranx

CUTOFFS = [1, 3, 5, 10]
RANX_METRICS = ["precision", "recall", "ndcg", "map", "mrr", "hit_rate"]
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "reference_metrics.json"


def make_cases(seed=20261204, count=60, universe=40):
    """Return seeded (list, relevant) cases, including lists shorter than the cutoffs."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        relevant = sorted(rng.sample(range(universe), rng.randint(1, 6)))
        length = rng.randint(1, 14)
        ranked = rng.sample(range(universe), length)
        cases.append((ranked, relevant))
    # Fixed edge cases: a perfect list, a list without hits, a single hit at the end.
    cases.append(([3, 7, 9], [3, 7, 9]))
    cases.append(([1, 2, 4], [30]))
    cases.append(([5, 6, 8, 11, 12, 13, 14, 15, 16, 17], [17]))
    return cases


def ranx_values(cases):
    qrels = {f"q{i:03d}": {f"d{d}": 1 for d in relevant} for i, (_, relevant) in enumerate(cases)}
    # Distinct, strictly decreasing scores fix the order of each list.
    run = {
        f"q{i:03d}": {f"d{d}": float(len(ranked) - p) for p, d in enumerate(ranked)}
        for i, (ranked, _) in enumerate(cases)
    }
    names = [f"{m}@{k}" for m in RANX_METRICS for k in CUTOFFS]
    scores = ranx.evaluate(ranx.Qrels(qrels), ranx.Run(run), names, return_mean=False, make_comparable=True)
    return {name: [float(v) for v in scores[name]] for name in names}


def trec_values(cases):
    qrels = {f"q{i:03d}": {f"d{d}": 1 for d in relevant} for i, (_, relevant) in enumerate(cases)}
    run = {
        f"q{i:03d}": {f"d{d}": float(len(ranked) - p) for p, d in enumerate(ranked)}
        for i, (ranked, _) in enumerate(cases)
    }
    measures = {f"{m}_{k}" for m in ("P", "recall", "ndcg_cut", "map_cut") for k in CUTOFFS}
    per_query = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)
    return per_query


def main():
    cases = make_cases()
    values = ranx_values(cases)
    trec = trec_values(cases)
    pairs = {"precision": "P", "recall": "recall", "ndcg": "ndcg_cut", "map": "map_cut"}
    for metric, trec_name in pairs.items():
        for k in CUTOFFS:
            for i, value in enumerate(values[f"{metric}@{k}"]):
                other = trec[f"q{i:03d}"][f"{trec_name}_{k}"]
                if abs(value - other) > 1e-9:
                    raise SystemExit(f"ranx and trec_eval disagree on {metric}@{k} for case {i}: {value} vs {other}")

    document = {
        "source": f"ranx {ranx.__version__ if hasattr(ranx, '__version__') else '0.3.21'}, checked against pytrec_eval",
        "cutoffs": CUTOFFS,
        "cases": [{"list": ranked, "relevant": relevant} for ranked, relevant in cases],
        "values": values,
    }
    OUTPUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
