"""Fit Apache Spark MLlib's implicit ALS on the strengths exported by `hybrid-rec
export-als` and write its factors in the recommender's import format.

    python scripts/spark_als.py EXPORT_DIR --out FACTORS.json|FACTORS.bin \
        [--master 'local[1]'] [--reg-scaling mean|none] [--report REPORT.json]

scripts/spark_als.sh runs the whole comparison: it creates the virtual environment,
exports, calls this script and evaluates the factors with `hybrid-rec evaluate
--import-factors`.

The export's `strengths.csv` contains the raw strength r of every stored cell. Spark's
implicit ALS turns a rating r into the preference p = [r > 0] and the confidence
c = 1 + alpha * |r| itself, as our ALS does, so it reads r and runs with our alpha.

Regularization differs. Spark adds regParam * n to the diagonal of each row's normal
equations, where n is the number of that row's positive entries (the weighting that
Spark's source calls ALS-WR), while our ALS adds the same lambda to every row. No single
regParam reproduces a constant lambda. With --reg-scaling mean (the default) this
script sets regParam = lambda * rows / (2 * positives), where rows counts the users and
items with at least one positive entry: the penalty averaged over all those rows then
equals our lambda. With --reg-scaling none it passes lambda unchanged, so each row's
penalty is n times ours.
"""

import argparse
import json
import os
import struct
import sys
import time
import zlib
from pathlib import Path

FACTOR_MAGIC = b"HRFACTOR"
FORMAT_VERSION = 1


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path, help="folder written by hybrid-rec export-als")
    parser.add_argument(
        "--out", type=Path, required=True,
        help="factor file to write: JSON when it ends in .json, else the binary format",
    )
    parser.add_argument("--master", default="local[1]", help="Spark master URL (default local[1])")
    parser.add_argument(
        "--reg-scaling", choices=["mean", "none"], default="mean",
        help="how our lambda becomes Spark's regParam (see the module docstring)",
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of Spark's initial factors")
    parser.add_argument("--report", type=Path, help="also write settings and fit time as JSON")
    return parser.parse_args()


def read_strengths(path):
    """Returns (user, item, strength) rows of the export's strengths.csv."""
    rows = []
    with open(path, encoding="utf-8") as lines:
        header = next(lines).strip()
        if header != "user,item,strength":
            sys.exit(f"{path}: header is {header!r}, expected 'user,item,strength'")
        for line in lines:
            user, item, strength = line.rstrip("\n").split(",")
            rows.append((int(user), int(item), float(strength)))
    return rows


def spark_reg_param(rows, regularization, scaling):
    """Returns regParam for our lambda, and the counts behind it."""
    positive = [(u, i) for u, i, r in rows if r > 0]
    active_rows = len({u for u, _ in positive}) + len({i for _, i in positive})
    if scaling == "none" or not positive:
        return regularization, len(positive), active_rows
    return regularization * active_rows / (2 * len(positive)), len(positive), active_rows


def write_json(path, rank, users, items):
    document = {
        "version": FORMAT_VERSION,
        "factors": rank,
        "userIds": [user_id for user_id, _ in users],
        "userFactors": [list(vector) for _, vector in users],
        "itemIds": [item_id for item_id, _ in items],
        "itemFactors": [list(vector) for _, vector in items],
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def write_binary(path, rank, users, items):
    """Writes the binary format of docs/scale.md (little-endian, CRC-32 of the payload)."""
    payload = bytearray(struct.pack("<III", rank, len(users), len(items)))
    for ident, _ in users + items:
        encoded = ident.encode("utf-8")
        payload += struct.pack("<I", len(encoded)) + encoded
    for _, vector in users + items:
        payload += struct.pack(f"<{rank}f", *vector)
    header = FACTOR_MAGIC + struct.pack("<IQI", FORMAT_VERSION, len(payload), zlib.crc32(payload))
    path.write_bytes(header + bytes(payload))


def main():
    args = parse_args()
    meta = json.loads((args.export / "meta.json").read_text())
    ids = json.loads((args.export / "ids.json").read_text())
    rows = read_strengths(args.export / "strengths.csv")
    rank, iterations = meta["factors"], meta["iterations"]
    alpha, regularization = meta["alpha"], meta["regularization"]
    reg_param, positives, active_rows = spark_reg_param(rows, regularization, args.reg_scaling)

    # Spark binds to the address its host name resolves to, so pin it to loopback.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Imported here so that --help works without the virtual environment.
    from pyspark import __version__ as pyspark_version
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import SparkSession
    from pyspark.sql.types import FloatType, IntegerType, StructField, StructType

    spark = (
        SparkSession.builder.master(args.master)
        .appName("hybrid-recommender-als")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    schema = StructType([
        StructField("user", IntegerType(), False),
        StructField("item", IntegerType(), False),
        StructField("strength", FloatType(), False),
    ])
    frame = spark.createDataFrame(rows, schema).cache()
    frame.count()
    parallelism = spark.sparkContext.defaultParallelism

    als = ALS(
        rank=rank, maxIter=iterations, regParam=reg_param, alpha=alpha, implicitPrefs=True,
        userCol="user", itemCol="item", ratingCol="strength", seed=args.seed,
        numUserBlocks=parallelism, numItemBlocks=parallelism,
    )
    start = time.perf_counter()
    model = als.fit(frame)
    # Counting the factor tables makes any work that fit left lazy run inside the timing.
    model.userFactors.count()
    model.itemFactors.count()
    fit_seconds = time.perf_counter() - start

    def vectors(factor_frame, names):
        return sorted(
            ((names[row["id"]], [float(v) for v in row["features"]]) for row in factor_frame.collect()),
            key=lambda pair: pair[0],
        )

    users = vectors(model.userFactors, ids["users"])
    items = vectors(model.itemFactors, ids["items"])
    spark.stop()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.suffix == ".json":
        write_json(args.out, rank, users, items)
    else:
        write_binary(args.out, rank, users, items)

    report = {
        "pyspark": pyspark_version,
        "master": args.master,
        "blocks": parallelism,
        "rank": rank,
        "maxIter": iterations,
        "alpha": alpha,
        "lambda": regularization,
        "regScaling": args.reg_scaling,
        "regParam": reg_param,
        "positives": positives,
        "activeRows": active_rows,
        "entries": len(rows),
        "users": len(users),
        "items": len(items),
        "fitSeconds": fit_seconds,
        "ourSecondsPerIteration": meta.get("seconds_per_iteration"),
    }
    print(json.dumps(report), file=sys.stderr)
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
