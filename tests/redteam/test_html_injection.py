"""HTML injection into the pages instructors and students open: a hostile class graded for real, its review
packet written by ``export_packet`` and its feedback pages by ``write_feedback`` (what ``grader manual
export`` and ``grader feedback`` call), each page parsed and searched for anything live: a ``<script>``
(the pages have none of their own), an ``on*`` attribute, a ``javascript:`` or ``data:`` URL other than a
PNG/JPEG image, an iframe, object, embed, form, SVG or style element in the body, a ``style`` attribute in
what a student wrote. Honest answers (Chinese text, lists, code, a table, math, a PNG plot) must still show.

Seen to fail: with ``grader.sinks.safehtml.clean`` made to return its input unchanged, every sanitizer case
fails, the packet fails on the MathML ``href="javascript:..."`` latex2mathml makes of ``\\href``, the hostile
notebook's feedback page on its stored ``text/html`` output; rendering ```mermaid fences as nbconvert does
as well, the packet also fails on the mermaid block's ``<img onerror>``, and with the pages' CSP removed too,
Chromium shows ``<title>pwned</title>`` for the packet and that feedback page. The module's and the plain
answer's pages hold only escaped text: they fail if escaping goes. Without MathML in the allow-list the
honest answer's test fails.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from grader.authoring.templates import split_cells
from grader.grading import runner
from grader.model.discovery import discover
from grader.sinks.feedback import write_feedback
from grader.sinks.manual import export_packet
from grader.sinks.safehtml import clean
from tests.conftest import SOLUTION, write_class
from tests.test_gradebook import write_results

PWNED = "document.title='pwned'"
HOSTILE_MARKDOWN = f"""## 攻击 / attacks

```mermaid
graph TD; A-->B <img src=x onerror="{PWNED}">
```

<script>{PWNED}</script> <svg onload="{PWNED}"><circle r="9"/></svg>
[click](javascript:{PWNED}) [ref][r] ![pic](x"onerror="{PWNED})
<iframe src="javascript:parent.{PWNED}"></iframe> <object data="x.swf"></object> <embed src="x.swf">
<p style="width:expression(alert(1));background:url(javascript:alert(1))">styled</p>
<form action="javascript:{PWNED}"><button formaction="javascript:{PWNED}">go</button></form>

$\\href{{javascript:{PWNED}}}{{x}}$

[r]: javascript:{PWNED}
"""
PLAIN_HTML_ANSWER = f"我的回答：<b>不是标签</b> <img src=x onerror=\"{PWNED}\"> 就这样"
HONEST_MARKDOWN = r"""## 梯度 / the gradient

误差对权重的偏导数 $\frac{\partial E}{\partial w}$ 决定下降方向，交叉熵为

$$-\sum_i y_i \ln \hat y_i$$

- 第一步：前向传播
- 第二步：反向传播

| 层 | 参数 |
| --- | --- |
| 隐藏层 | 30 |

```python
w = w - eta * grad
```
"""
# A 1x1 PNG, as matplotlib would store a plot.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
RAW_PAYLOADS = [
    f"<img src=x onerror=\"{PWNED}\">",
    f"<script>{PWNED}</script>",
    f"<svg onload=\"{PWNED}\"></svg>",
    f"<svg><script>{PWNED}</script></svg>",
    f"<a href=\"javascript:{PWNED}\">x</a>",
    f"<a href=\" JaVaScRiPt:{PWNED}\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    f"<iframe srcdoc=\"<script>{PWNED}</script>\">",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"x.swf\">",
    "<p style=\"width:expression(alert(1))\">x</p>",
    f"<form><button formaction=\"javascript:{PWNED}\">go</button></form>",
    "<style>body{display:none}</style>",
    f"<math><mrow href=\"javascript:{PWNED}\"><mi>x</mi></mrow></math>",
    "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
    f"<details open ontoggle=\"{PWNED}\">x</details>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=\"{PWNED}\">",  # namespace confusion
    "<base href=\"javascript:/\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{PWNED}\">",
]
FORBIDDEN_IN_BODY = {"script", "iframe", "object", "embed", "form", "svg", "style", "base", "meta", "link",
                     "frame"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
STUDENT_REGION = {"answer", "cell"}  # the classes of the elements that hold what a student wrote


class Live(HTMLParser):
    """Everything live in a page (``found``) and every start tag with its attributes (``tags``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.in_body = False
        self.depth = 0
        self.student_depth: list[int] = []  # the depths at which the student regions we are in opened

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        self.in_body = self.in_body or tag == "body"
        if tag == "script" or (self.in_body and tag in FORBIDDEN_IN_BODY):
            self.found.append(f"<{tag}>")
        for name, value in values.items():
            url = "".join(value.split()).lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if url.startswith(("javascript:", "vbscript:")) or (
                    url.startswith("data:") and not url.startswith(("data:image/png;", "data:image/jpeg;"))):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            if name == "style" and self.student_depth:
                self.found.append(f"<{tag} style> in a student's region")
        if tag in VOID:
            return
        self.depth += 1
        if set(values.get("class", "").split()) & STUDENT_REGION:
            self.student_depth.append(self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.student_depth and self.student_depth[-1] == self.depth:
            self.student_depth.pop()
        self.depth -= 1


def live(page: str) -> Live:
    parser = Live()
    parser.feed(page)
    parser.close()
    return parser


def text_of(page: str) -> str:
    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(page)
    return "".join(parts)


def notebook(markdown: str, outputs: list[nbformat.NotebookNode], answer: str) -> str:
    """The model answers as a notebook with ``markdown`` as its second cell, a last cell storing ``outputs``
    and ``answer`` as the manual answer."""
    book = nbformat.v4.new_notebook()
    for cell in split_cells(SOLUTION):
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else nbformat.v4.new_code_cell
        book.cells.append(make(cell.text))
    book.cells.insert(1, nbformat.v4.new_markdown_cell(markdown))
    book.cells.append(nbformat.v4.new_code_cell(f"Q3_NONSEP = {answer!r}\nprint('plot')"))
    book.cells[-1].outputs = outputs
    return nbformat.writes(book)


HOSTILE_OUTPUTS = [
    nbformat.v4.new_output("display_data", data={
        "text/html": "\n".join(RAW_PAYLOADS), "application/javascript": PWNED,
        "image/svg+xml": f"<svg onload=\"{PWNED}\"><script>{PWNED}</script></svg>",
        "text/plain": "<IPython>"}),
    nbformat.v4.new_output("display_data", data={"image/png": f"x\" onerror=\"{PWNED}"}),
    nbformat.v4.new_output("display_data", data={"text/markdown": HOSTILE_MARKDOWN}),
    nbformat.v4.new_output("stream", name="stdout", text=f"<script>{PWNED}</script>"),
    nbformat.v4.new_output("error", ename="ValueError", evalue="<img src=x onerror=1>",
                           traceback=[f"\x1b[31mValueError\x1b[0m: <script>{PWNED}</script>"]),
]
HONEST_OUTPUTS = [nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]


@pytest.fixture(scope="module")
def written(tmp_path_factory, hw3, backend) -> Path:
    """The folder holding ``packet/`` and ``feedback/`` for a class of one hostile notebook, one hostile
    module, one plain-text answer with HTML in it and one honest notebook."""
    tmp = tmp_path_factory.mktemp("injection")
    folder = write_class(tmp / "class", {
        "mal/hw3.ipynb": notebook(HOSTILE_MARKDOWN, HOSTILE_OUTPUTS, HOSTILE_MARKDOWN),
        "mod.py": SOLUTION + f"\nQ3_NONSEP = {HOSTILE_MARKDOWN!r}\n"  # and a test message with HTML in it:
                             f"def perceptron_step(w, b, x, y, eta=1.0):\n"
                             f"    return {RAW_PAYLOADS[0]!r}, 0\n",
        "plain.py": SOLUTION + f"\nQ3_NONSEP = {PLAIN_HTML_ANSWER!r}\n",
        "zhang/hw3.ipynb": notebook(HONEST_MARKDOWN, HONEST_OUTPUTS, HONEST_MARKDOWN),
    })
    submissions = discover(folder, "hw3")
    results = runner.grade(hw3, submissions, backend=backend)
    export_packet(hw3, write_results(tmp / "out", results), tmp / "packet")
    write_feedback(hw3, results, submissions, tmp / "feedback")
    return tmp


@pytest.fixture(scope="module")
def pages(written) -> dict[str, str]:
    """``{"packet" | "feedback:<id>": page}``"""
    found = {"packet": (written / "packet" / "Q3_NONSEP.html").read_text(encoding="utf-8")}
    feedback = (written / "feedback").glob("*.html")
    return found | {f"feedback:{p.stem}": p.read_text(encoding="utf-8") for p in feedback}


@pytest.mark.parametrize("payload", RAW_PAYLOADS)
def test_the_sanitizer_leaves_nothing_live(payload):
    assert live(f'<body><div class="answer">{clean(payload)}</div></body>').found == []


@pytest.mark.parametrize("page", ["packet", "feedback:mal", "feedback:mod", "feedback:plain"])
def test_no_page_has_anything_live(pages, page):
    assert live(pages[page]).found == []
    assert "pwned" not in pages[page].split("<body", 1)[0]  # the title is ours


def test_the_hostile_text_is_still_there_to_read(pages):
    """Dropped tags keep their text; escaped HTML reads as written (the grader sees what was tried)."""
    packet = text_of(pages["packet"])
    assert "graph TD; A-->B" in packet and "styled" in packet
    assert PLAIN_HTML_ANSWER in packet  # plain text with HTML in it: shown as the text it is
    assert "<b>不是标签</b>" not in pages["packet"]
    feedback = text_of(pages["feedback:mal"])
    assert "ValueError: <script>" in feedback
    assert "<IPython>" not in feedback  # the HTML output is shown, not the text beside it


def test_an_honest_answer_shows_whole(pages):
    packet = pages["packet"]
    for page in (packet[packet.index('<section class="student" id="zhang"'):], pages["feedback:zhang"]):
        tags = live(page).tags
        shown = {t for t, _ in tags}
        assert {"h2", "ul", "li", "table", "td", "pre", "code", "math", "mfrac", "munder", "msub"} <= shown
        assert {a.get("display") for t, a in tags if t == "math"} == {"inline", "block"}
        text = text_of(page)
        assert "误差对权重的偏导数" in text and "第二步：反向传播" in text and "隐藏层" in text
        assert "w = w - eta * grad" in text and "∂" in text and "∑" in text
    images = [a for t, a in live(pages["feedback:zhang"]).tags if t == "img"]
    assert images == [{"alt": "output", "src": f"data:image/png;base64,{PNG}"}]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("page", ["packet/Q3_NONSEP.html", "feedback/mal.html", "feedback/mod.html"])
def test_in_a_browser_no_injected_handler_runs(written, page):
    """Every payload sets document.title; the DOM after loading (and the images' error events) keeps ours."""
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
               "--dump-dom", (written / page).as_uri()]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert "<title>" in run.stdout and "pwned" not in run.stdout.split("</title>", 1)[0]
    assert "pwned" not in run.stdout.split("<body", 1)[0]
