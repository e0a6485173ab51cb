#!/usr/bin/python3
"""Stage 00: validate every corpus manifest and write the recipe's lists.

Reads  ../shared/data/corpora/*/manifest.tsv and dev.tsv, and the LibriVox clips of
Debian's pocketsphinx-testdata. Writes into models/training/data/lists/:

  train_real.tsv       transcribed training rows (absolute audio paths)
  untranscribed.tsv    training rows without text (for teacher pseudo-labels)
  dev_<corpus>.tsv     one per corpus dev.tsv
  dev_librivox.tsv     the 5 LibriVox clips (native US reader)
  summary.json         counts and hours per list and corpus

Refuses (exit 1, message naming file, line and id) a missing/unreadable audio file,
a transcript outside the 29 symbols, a bad duration, a duplicate id, a dev speaker in a
training list, a training row reading a dev sentence (4+ words), an untranscribed dev row.
Documented exclusions (EVAL_ONLY below) are counted and logged, never silent.

    /usr/bin/python3 models/training/stages/00_prepare_data.py [--force] [--no-duration-check]
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import manifest as M  # noqa: E402

STAGE = "00_prepare_data"
LIBRIVOX_DIR = Path("/usr/share/pocketsphinx/test/data/librivox")
LIBRIVOX_SPEAKER = "librivox_austen_reader"  # one LibriVox reader, Sense and Sensibility ch. 1
# Corpora whose training manifest may never be used for training, and why.
EVAL_ONLY = {"voxforge_en": "VoxForge audio is GPL v3+: evaluation only (README 'Licences')"}


def librivox_rows(directory: Path, check_duration=True):
    """Build Rows from fileids + transcription (Sphinx format: '<s> text </s> (fileid)')."""
    fileids = directory / "fileids"
    trans = directory / "transcription"
    ids = [l.strip() for l in fileids.read_text().splitlines() if l.strip()]
    texts = {}
    for lineno, line in enumerate(trans.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        line = line.strip()
        if not line.endswith(")") or "(" not in line:
            raise M.ManifestError(trans, lineno, None, "expected '<s> text </s> (fileid)'")
        body, fid = line[:-1].rsplit("(", 1)
        fid = fid.strip()
        words = [w for w in body.split() if w not in ("<s>", "</s>", "<sil>")]
        text = " ".join(words)
        if fid in texts:
            raise M.ManifestError(trans, lineno, fid, "duplicate file id")
        problem = M.text_problem(text)
        if problem or not text:
            raise M.ManifestError(trans, lineno, fid, problem or "empty transcript")
        texts[fid] = (text, lineno)
    rows = []
    for i, fid in enumerate(ids, start=1):
        if fid not in texts:
            raise M.ManifestError(fileids, i, fid, f"no transcript in {trans}")
        wav = directory / f"{fid}.wav"
        if not wav.is_file():
            raise M.ManifestError(fileids, i, fid, f"missing audio file {wav}")
        dur = M.audio_duration(wav, fileids, i, fid)
        rows.append(M.Row(f"librivox_{fid}", str(wav), round(dur, 3), LIBRIVOX_SPEAKER,
                          texts[fid][0], source=f"{trans}:{texts[fid][1]}", line=texts[fid][1]))
    extra = set(texts) - set(ids)
    if extra:
        fid = sorted(extra)[0]
        raise M.ManifestError(trans, texts[fid][1], fid, "transcript for a file not in fileids")
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=M.SHARED_DIR, help="shared data root (default %(default)s)")
    ap.add_argument("--librivox", type=Path, default=LIBRIVOX_DIR)
    ap.add_argument("--out", type=Path, default=M.LISTS_DIR)
    ap.add_argument("--no-duration-check", action="store_true",
                    help="do not compare duration_s with the audio files' real length")
    ap.add_argument("--force", action="store_true", help="redo even if the done-marker matches")
    args = ap.parse_args(argv)
    log = M.stage_logger(STAGE)

    corpora_dir = args.shared / "data" / "corpora"
    manifests = sorted(corpora_dir.glob("*/manifest.tsv"))
    devs = sorted(corpora_dir.glob("*/dev.tsv"))
    if not manifests:
        log.error("no manifests under %s", corpora_dir)
        return 1
    lv_files = [args.librivox / "fileids", args.librivox / "transcription"]
    options = {"duration_check": not args.no_duration_check, "eval_only": EVAL_ONLY,
               "out": str(args.out.resolve())}
    digest = M.hash_inputs(options, manifests + devs + lv_files + [Path(__file__), Path(M.__file__)])
    marker = M.DoneMarker(args.out, STAGE)
    if not args.force and marker.is_done(digest):
        log.info("already done (inputs unchanged, %s); use --force to redo", marker.path)
        return 0

    check_dur = not args.no_duration_check
    try:
        train, untrans, dev = [], [], {}
        per_corpus = {}
        excluded = {}
        for m in manifests:
            corpus = m.parent.name
            rows = M.read_manifest(m, check_duration=check_dur)
            if corpus in EVAL_ONLY:
                excluded[corpus] = {"rows": len(rows), "hours": M.total_hours(rows), "why": EVAL_ONLY[corpus]}
                log.info("EXCLUDED %d training rows (%.3f h) of %s: %s", len(rows), M.total_hours(rows),
                         m, EVAL_ONLY[corpus])
                continue
            t = [r for r in rows if r.text]
            u = [r for r in rows if not r.text]
            train += t
            untrans += u
            per_corpus[corpus] = {"train_rows": len(t), "train_hours": round(M.total_hours(t), 4),
                                  "untranscribed_rows": len(u), "untranscribed_hours": round(M.total_hours(u), 4)}
            log.info("%-26s train %5d rows %6.3f h | untranscribed %4d rows %6.3f h", corpus,
                     len(t), M.total_hours(t), len(u), M.total_hours(u))
        for d in devs:
            corpus = d.parent.name
            rows = M.read_manifest(d, check_duration=check_dur, require_text=True)
            dev[f"dev_{corpus}"] = rows
            per_corpus.setdefault(corpus, {}).update(dev_rows=len(rows), dev_hours=round(M.total_hours(rows), 4))
            log.info("%-26s dev   %5d rows %6.3f h, %d speakers", corpus, len(rows), M.total_hours(rows),
                     len({r.speaker for r in rows}))
        lv = librivox_rows(args.librivox, check_dur)
        dev["dev_librivox"] = lv
        log.info("%-26s dev   %5d rows %6.3f h (pocketsphinx-testdata)", "librivox", len(lv), M.total_hours(lv))

        lists = {"train_real": train, "untranscribed": untrans, **dev}
        M.check_unique_ids(lists)
        M.check_speaker_disjoint({"train_real": train, "untranscribed": untrans}, dev)
        M.check_text_disjoint({"train_real": train}, dev)
    except M.ManifestError as e:
        log.error("REFUSED: %s", e)
        marker.clear()
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    summary = {"lists": {}, "corpora": per_corpus, "excluded": excluded}
    for name, rows in lists.items():
        n = M.write_manifest(args.out / f"{name}.tsv", rows)
        summary["lists"][name] = {"rows": n, "hours": round(M.total_hours(rows), 4),
                                  "speakers": len({r.speaker for r in rows})}
        log.info("wrote %-22s %6d rows %7.3f h", f"{name}.tsv", n, M.total_hours(rows))
    # Re-read what we wrote: the lists must pass the same validator.
    for name in lists:
        M.read_manifest(args.out / f"{name}.tsv", check_duration=False)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True))
    marker.mark(digest, lists=sorted(lists))
    log.info("done: %d lists in %s", len(lists), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
