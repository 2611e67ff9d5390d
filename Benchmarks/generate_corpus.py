#!/usr/bin/env python3
"""Writes the same Markdown corpus for build-site and for Hugo.

The "plain" shape is the public Markdown build benchmark's (a front-matter title and three
paragraphs per page); "rich" adds headings, a code block, a list and internal links.
Usage: generate_corpus.py DEST PAGES {plain,rich}
"""
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = ("connect token requirement status credential account provider sandbox page user app "
         "workflow secret form oauth link proxy server manifest build template markdown").split()


def paragraph(rng):
    return " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."


def body(rng, index, pages, shape):
    parts = [paragraph(rng) for _ in range(3)]
    if shape == "rich":
        target = (index * 7 + 1) % pages
        parts.insert(1, f"## Section {index}\n\nSee [page {target}](page-{target}.md) and [the first](page-0.md#section-0).")
        parts.insert(2, "- one item\n- two items with `code`\n- three items")
        parts.append('```json\n{"token": "abc", "count": %d, "ok": true}\n```' % index)
        parts.append(f"### Notes {index}\n\n" + paragraph(rng))
    return "\n\n".join(parts) + "\n"


def main(dest, pages, shape):
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    rng = random.Random(7421)
    site = dest / "connectsite"
    docs = site / "content" / "docs"
    hugo = dest / "hugo"
    posts = hugo / "content" / "docs"
    docs.mkdir(parents=True)
    posts.mkdir(parents=True)
    for i in range(pages):
        text = body(rng, i, pages, shape)
        title = f"Page {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}"
        (docs / f"page-{i}.md").write_text(f"---\ntitle: \"{title}\"\n---\n\n{text}")
        # Hugo resolves Markdown links itself only through render hooks; link the pretty URLs.
        hugo_text = text.replace(".md#", "/#").replace(".md)", "/)").replace("](page-", "](/docs/page-")
        (posts / f"page-{i}.md").write_text(f"---\ntitle: \"{title}\"\n---\n\n{hugo_text}")
    # build-site needs its data files; the smallest valid ones.
    content = site / "content"
    (content / "index.md").write_text("---\ntitle: Corpus\n---\n\nA benchmark corpus.\n")
    (content / "site.yaml").write_text("title: Corpus\ndescription: A benchmark corpus.\nbase_url: https://corpus.example\nsidebar: []\n")
    (content / "connection-types.yaml").write_text("types: []\n")
    (content / "openapi.yaml").write_text("openapi: 3.0.3\ninfo: {title: Corpus, version: '1'}\npaths: {}\n")
    shutil.copytree(HERE / "corpus-templates", site / "templates")
    (hugo / "hugo.toml").write_text('baseURL = "https://corpus.example/"\ntitle = "Corpus"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
                                    '[markup.goldmark.renderer]\nunsafe = false\n')
    shutil.copytree(HERE / "hugo-theme" / "layouts", hugo / "layouts")
    (hugo / "static").mkdir()
    shutil.copy(HERE / "corpus-templates" / "assets" / "site.css", hugo / "static" / "site.css")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
