"""Fit the `implicit` library's ALS on the matrix exported by `hybrid-rec export-als` and
compare it with our factors: seconds per iteration (single-threaded on both sides) and
precision@10 / NDCG@10 on the same time split, scored by the same code below.

    python scripts/compare_implicit.py EXPORT_DIR [EXPORT_DIR ...] [--json OUT.json]

Each folder is one export with its own ALS seed; implicit runs with the same seed, and
the means and standard deviations over the folders are printed.

implicit builds the confidence of a stored entry as alpha * value; the export holds
c = 1 + alpha * r, so implicit runs with alpha = 1 and solves exactly our problem
(same factors, regularization, iterations and conjugate-gradient steps).
"""

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
from threadpoolctl import threadpool_limits

import implicit
from implicit.cpu.als import AlternatingLeastSquares

K = 10


def read_pairs(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return data


def evaluate(user_factors, item_factors, relevant, exclude):
    """Mean precision@K and NDCG@K over users with relevant items."""
    precisions, ndcgs = [], []
    for user, items in relevant.items():
        scores = item_factors @ user_factors[user]
        for item in exclude.get(user, ()):
            scores[item] = -np.inf
        top = np.argpartition(-scores, K)[:K]
        top = top[np.argsort(-scores[top], kind="stable")]
        hits = [1.0 if item in items else 0.0 for item in top]
        precisions.append(sum(hits) / K)
        dcg = sum(h / math.log2(p + 2) for p, h in enumerate(hits))
        ideal = sum(1.0 / math.log2(p + 2) for p in range(min(K, len(items))))
        ndcgs.append(dcg / ideal)
    return float(np.mean(precisions)), float(np.mean(ndcgs)), len(precisions)


def compare(export):
    """Fit implicit on one export with the export's seed and score both factor sets."""
    meta = json.loads((export / "meta.json").read_text())
    users, items, factors = meta["users"], meta["items"], meta["factors"]
    triplets = read_pairs(export / "confidence.csv")
    matrix = sparse.csr_matrix(
        (triplets[:, 2].astype(np.float32), (triplets[:, 0].astype(np.int64), triplets[:, 1].astype(np.int64))),
        shape=(users, items),
    )
    relevant, exclude = {}, {}
    for user, item in read_pairs(export / "relevant.csv").astype(np.int64):
        relevant.setdefault(int(user), set()).add(int(item))
    for user, item in read_pairs(export / "exclude.csv").astype(np.int64):
        exclude.setdefault(int(user), set()).add(int(item))

    model = AlternatingLeastSquares(
        factors=factors,
        regularization=meta["regularization"],
        alpha=1.0,
        iterations=meta["iterations"],
        random_state=meta.get("seed", 42),
        num_threads=1,
    )
    model.cg_steps = meta["cg_steps"]
    with threadpool_limits(limits=1):
        start = time.perf_counter()
        model.fit(matrix, show_progress=False)
        implicit_seconds = (time.perf_counter() - start) / meta["iterations"]

    ours_users = np.fromfile(export / "user_factors.f32", dtype="<f4").reshape(users, factors)
    ours_items = np.fromfile(export / "item_factors.f32", dtype="<f4").reshape(items, factors)
    ours = evaluate(ours_users, ours_items, relevant, exclude)
    theirs = evaluate(np.asarray(model.user_factors), np.asarray(model.item_factors), relevant, exclude)
    return {
        "seed": meta.get("seed", 42),
        "users": users,
        "items": items,
        "nonzeros": int(matrix.nnz),
        "factors": factors,
        "iterations": meta["iterations"],
        "ours_ms_per_iteration": meta["seconds_per_iteration"] * 1000,
        "implicit_ms_per_iteration": implicit_seconds * 1000,
        "ours_precision": ours[0],
        "ours_ndcg": ours[1],
        "implicit_precision": theirs[0],
        "implicit_ndcg": theirs[1],
        "evaluated_users": ours[2],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "exports", type=Path, nargs="+", help="folders written by hybrid-rec export-als, one per ALS seed"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    runs = []
    for export in args.exports:
        run = compare(export)
        runs.append(run)
        print(
            f"seed {run['seed']}: ALS ms per iteration ours {run['ours_ms_per_iteration']:.1f}, "
            f"implicit {run['implicit_ms_per_iteration']:.1f}; NDCG@{K} ours {run['ours_ndcg']:.4f}, "
            f"implicit {run['implicit_ndcg']:.4f}"
        )

    # Means over the seeds; the spread shows how much of a gap the initial factors explain.
    mean = lambda key: float(np.mean([r[key] for r in runs]))
    spread = lambda key: float(np.std([r[key] for r in runs], ddof=1)) if len(runs) > 1 else 0.0
    first = runs[0]
    result = {
        "implicit_version": implicit.__version__,
        "seeds": [r["seed"] for r in runs],
        **{key: first[key] for key in ("users", "items", "nonzeros", "factors", "iterations", "evaluated_users")},
        **{key: mean(key) for key in ("ours_ms_per_iteration", "implicit_ms_per_iteration", "ours_precision",
                                      "ours_ndcg", "implicit_precision", "implicit_ndcg")},
        "ours_ndcg_sd": spread("ours_ndcg"),
        "implicit_ndcg_sd": spread("implicit_ndcg"),
        "runs": runs,
    }
    result["time_ratio"] = result["ours_ms_per_iteration"] / result["implicit_ms_per_iteration"]
    result["ndcg_ratio"] = result["ours_ndcg"] / result["implicit_ndcg"]
    print(
        f"{first['users']} users x {first['items']} items, {first['nonzeros']} nonzeros, {first['factors']} factors, "
        f"{first['iterations']} iterations, {len(runs)} seeds\n"
        f"  ALS ms per iteration: ours {result['ours_ms_per_iteration']:.1f}, implicit {implicit.__version__} "
        f"{result['implicit_ms_per_iteration']:.1f} (ratio {result['time_ratio']:.2f})\n"
        f"  precision@{K}: ours {result['ours_precision']:.4f}, implicit {result['implicit_precision']:.4f}; "
        f"NDCG@{K}: ours {result['ours_ndcg']:.4f} (sd {result['ours_ndcg_sd']:.4f}), "
        f"implicit {result['implicit_ndcg']:.4f} (sd {result['implicit_ndcg_sd']:.4f}), "
        f"ratio {result['ndcg_ratio']:.3f} ({first['evaluated_users']} users)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
