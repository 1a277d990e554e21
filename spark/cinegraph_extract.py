"""Cinegraph extraction as an Apache Spark stage.

    spark-submit spark/cinegraph_extract.py --input PATHS --output DIR \
        [--binary PATH] [--ontology DIR|ARCHIVE] [--min-partitions N] [--threads N]

Reads JSON Lines reviews (plain or gzip; any path Spark reads: local, HDFS, S3), streams each
input partition through `cinegraph extract --input-format jsonl - --output - --format nquads`
on the executors, and writes gzip N-Quads part files to DIR, to be loaded into a store with
`cinegraph load --format nquads DIR/part-*.gz`.

Labels. `cinegraph extract` gives each entity the first label of the run, in input order. A
partition's extract process applies that rule within the partition; the job settles it across
partitions: label lines are taken out of the map stage with their place (partition index, line
number in the partition's output), and each entity keeps the label with the smallest place.
Input partitions are consecutive slices of the input, in order (files in the order given, lines
in file order), and the job never repartitions the reviews, so the smallest place is the first
label in input order: the result is the one a single `cinegraph extract` of the same files in
the same order gives, whatever the partitioning.

The binary is shipped with SparkContext.addFile, the ontology directory as an archive
(SparkContext.addArchive; the driver zips a directory) so every executor has both in its
working files (SparkFiles).
"""

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import zipfile

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ONTOLOGY_FILE = "cinegraph.ttl"
ONTOLOGY_ARCHIVE = "cinegraph-ontology.zip"
GZIP = "org.apache.hadoop.io.compress.GzipCodec"
HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Extract film facts from JSON Lines reviews with cinegraph, on Spark."
    )
    p.add_argument(
        "--input",
        nargs="+",
        required=True,
        metavar="PATHS",
        help="JSON Lines files, directories or globs (plain or .gz; comma-separated lists too)",
    )
    p.add_argument("--output", required=True, metavar="DIR", help="directory of N-Quads parts")
    p.add_argument(
        "--binary",
        metavar="PATH",
        help="the cinegraph binary for the executors: a local file or any URI Spark reads "
        "[default: cinegraph on PATH, else target/release/cinegraph]",
    )
    p.add_argument(
        "--ontology",
        metavar="DIR",
        help="ontology directory, or a .zip of one (any path Spark reads) [default: the "
        "repository's ontology/]",
    )
    p.add_argument(
        "--min-partitions",
        type=int,
        metavar="N",
        help="at least N input partitions (plain files split; a .gz file is one partition)",
    )
    p.add_argument(
        "--threads", type=int, default=1, metavar="N", help="extraction threads per task"
    )
    return p.parse_args(argv)


def default_binary():
    found = shutil.which("cinegraph")
    if found:
        return found
    return os.path.join(HERE, "..", "target", "release", "cinegraph")


def ship(sc, binary, ontology):
    """Sends the binary and the ontology to every executor; returns their SparkFiles names."""
    if "://" in binary:
        sc.addFile(binary)
    elif os.path.isfile(binary):
        sc.addFile(os.path.abspath(binary))
    else:
        sys.exit(f"error: {binary}: no cinegraph binary (give --binary)")
    if "://" not in ontology and os.path.isdir(ontology):
        if not os.path.isfile(os.path.join(ontology, ONTOLOGY_FILE)):
            sys.exit(f"error: {ontology}: no {ONTOLOGY_FILE} in the ontology directory")
        archive = os.path.join(tempfile.mkdtemp(prefix="cinegraph-"), ONTOLOGY_ARCHIVE)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for root, _, files in os.walk(ontology):
                for name in sorted(files):
                    path = os.path.join(root, name)
                    z.write(path, os.path.relpath(path, ontology))
        ontology = archive
    sc.addArchive(ontology)
    return os.path.basename(binary), os.path.basename(ontology)


def ontology_dir(unpacked):
    """The directory holding cinegraph.ttl in an unpacked archive (its root, or its one folder)."""
    if os.path.isfile(os.path.join(unpacked, ONTOLOGY_FILE)):
        return unpacked
    for name in sorted(os.listdir(unpacked)):
        if os.path.isfile(os.path.join(unpacked, name, ONTOLOGY_FILE)):
            return os.path.join(unpacked, name)
    raise RuntimeError(f"{unpacked}: the ontology archive has no {ONTOLOGY_FILE}")


def extractor(binary_name, archive_name, threads):
    """The map stage: a partition's JSON lines through one cinegraph process. Yields
    ("q", line) for each quad line but labels, and ("l", (subject, (partition, n, line)))
    for each label line, n its line number in the partition's output."""

    def run(partition, lines):
        lines = (line for line in lines if line.strip())
        first = next(lines, None)
        if first is None:
            return
        binary = SparkFiles.get(binary_name)
        mode = os.stat(binary).st_mode
        if not mode & stat.S_IXUSR:
            os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        ontology = ontology_dir(SparkFiles.get(archive_name))
        command = [binary, "--ontology", ontology, "extract", "--input-format", "jsonl", "-"]
        command += ["--output", "-", "--format", "nquads", "--quiet", "--threads", str(threads)]
        with tempfile.TemporaryFile() as errors:
            proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
            )
            feeder = threading.Thread(target=feed, args=(proc.stdin, first, lines), daemon=True)
            feeder.start()
            for n, raw in enumerate(proc.stdout):
                line = raw.decode("utf-8").rstrip("\n")
                subject, predicate, _ = line.split(" ", 2)
                if predicate == LABEL:
                    yield ("l", (subject, (partition, n, line)))
                else:
                    yield ("q", line)
            status = proc.wait()
            feeder.join()
            errors.seek(0)
            check(status, errors.read().decode("utf-8", "replace"), partition)

    return run


def feed(pipe, first, lines):
    """Writes the partition's lines to the process, then closes its input."""
    try:
        pipe.write(first.encode("utf-8") + b"\n")
        for line in lines:
            pipe.write(line.encode("utf-8") + b"\n")
    except BrokenPipeError:
        pass  # the process failed; its exit status and stderr tell why
    finally:
        try:
            pipe.close()
        except BrokenPipeError:
            pass


def check(status, stderr, partition):
    """Fails the task when the process failed; a partition of unreadable reviews only warns,
    as a direct run skips them. Warnings (skipped lines) go to the executor's log."""
    if stderr:
        sys.stderr.write(f"cinegraph, partition {partition}:\n{stderr}")
    if status != 0 and "no review could be read" not in stderr:
        raise RuntimeError(f"cinegraph failed on partition {partition} ({status}): {stderr}")


def first_place(a, b):
    return a if a[:2] <= b[:2] else b


def main(argv):
    args = parse_args(argv)
    spark = SparkSession.builder.appName("cinegraph-extract").getOrCreate()
    sc = spark.sparkContext
    binary_name, archive_name = ship(
        sc,
        args.binary or default_binary(),
        args.ontology or os.path.join(HERE, "..", "ontology"),
    )
    paths = ",".join(args.input)
    reviews = (
        sc.textFile(paths, minPartitions=args.min_partitions)
        if args.min_partitions
        else sc.textFile(paths)
    )
    tagged = reviews.mapPartitionsWithIndex(extractor(binary_name, archive_name, args.threads))
    # Read twice (the quads, the labels): kept rather than extracted twice.
    tagged.persist(StorageLevel.MEMORY_AND_DISK)
    quads = tagged.filter(lambda t: t[0] == "q").map(lambda t: t[1])
    labels = (
        tagged.filter(lambda t: t[0] == "l")
        .map(lambda t: t[1])
        .reduceByKey(first_place)
        .sortByKey()
        .map(lambda kv: kv[1][2])
    )
    quads.union(labels).saveAsTextFile(args.output, compressionCodecClass=GZIP)
    tagged.unpersist()
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
