# Renders several HTML documents to PDF in one WeasyPrint process, and optionally some of them as one PDF
# (the pages themselves, laid out once, so the combined file shows exactly the kept copies).
import json
import sys

from weasyprint import HTML

jobs = json.load(open(sys.argv[1], encoding="utf-8"))
documents = []
for job in jobs["documents"]:
    document = HTML(filename=job["html"], encoding="utf-8").render()
    document.write_pdf(job["pdf"])
    documents.append(document)
if jobs.get("combined") and documents:
    pages = [page for index in jobs["combine"] for page in documents[index].pages]
    documents[0].copy(pages).write_pdf(jobs["combined"])
