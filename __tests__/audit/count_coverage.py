#!/usr/bin/env python3
"""Independent ATT&CK coverage count of a Panther pack, straight from its YAML (PyYAML), for the audit's
cross-check on a real pack (never run in CI, never committed output).

    python3 count_coverage.py PACK_DIR CATALOG.json > counts.json

Prints {"TACTIC:TECHNIQUE": [detection IDs]} for every detection that is enabled (Enabled: true), is a
rule, scheduled rule, policy or correlation rule, has tests (its own, or its base detection's when it
has no Tests key), and maps to an active technique under that tactic in the catalog. Whether a test
passes is a runtime fact: the caller drops IDs with no passing test using the run's JSON report.
"""
import json
import os
import sys

import yaml

DETECTIONS = {"rule": "RuleID", "scheduled_rule": "RuleID", "policy": "PolicyID", "correlation_rule": "RuleID"}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except Exception:  # unreadable or not YAML: not a detection
        return None


def main(root, catalog_path):
    with open(catalog_path, encoding="utf-8") as f:
        catalog = json.load(f)
    docs = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith((".yml", ".yaml")):
                continue
            doc = load(os.path.join(folder, name))
            if not isinstance(doc, dict) or doc.get("AnalysisType") not in DETECTIONS:
                continue
            rid = doc.get(DETECTIONS[doc["AnalysisType"]])
            if isinstance(rid, str):
                docs[rid] = doc
    counts = {}
    for rid, doc in docs.items():
        if doc.get("Enabled") is not True:
            continue
        base = docs.get(doc.get("BaseDetection")) if isinstance(doc.get("BaseDetection"), str) else None
        tests = doc["Tests"] if "Tests" in doc else (base or {}).get("Tests")
        if not isinstance(tests, list) or not tests:
            continue
        reports = doc["Reports"] if "Reports" in doc else (base or {}).get("Reports")
        entries = reports.get("MITRE ATT&CK") if isinstance(reports, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, str) or entry.count(":") != 1:
                continue
            tactic, technique = entry.split(":")
            tech = catalog["techniques"].get(technique)
            if not tech or tech["revoked"] or tech["deprecated"] or tactic not in catalog["tactics"] or tactic not in tech["tactics"]:
                continue
            ids = counts.setdefault(f"{tactic}:{technique}", [])
            if rid not in ids:
                ids.append(rid)
    json.dump({k: sorted(v) for k, v in sorted(counts.items())}, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
