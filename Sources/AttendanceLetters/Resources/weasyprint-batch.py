# Renders several HTML documents to PDF in one WeasyPrint process, and optionally some of them as one PDF
# (the pages themselves, laid out once, so the combined file shows exactly the kept copies).
#
# A letter needs nothing from outside itself: its styles are inline and its fonts are the system's. So the URL
# fetcher refuses every URL (file:, http:, data: and the rest): whatever a wording or a field might name, the
# server reads no file, calls no address and attaches nothing.
import json
import sys

from weasyprint import HTML


def refuse(url, *args, **kwargs):
    raise ValueError("letters load nothing from outside themselves")


jobs = json.load(open(sys.argv[1], encoding="utf-8"))
documents = []
for job in jobs["documents"]:
    with open(job["html"], encoding="utf-8") as source:
        html = source.read()
    document = HTML(string=html, base_url=None, url_fetcher=refuse).render()
    document.write_pdf(job["pdf"])
    documents.append(document)
if jobs.get("combined") and documents:
    pages = [page for index in jobs["combine"] for page in documents[index].pages]
    documents[0].copy(pages).write_pdf(jobs["combined"])
