"""Tests for licensecheck.scan: exact references per fixture, look-alikes, hostile input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensecheck.scan import MAX_BYTES, ModelReference, scan_file, scan_paths, scan_text

DATA = Path(__file__).parent / "data" / "scan"

# Every reference in each fixture, as (model, line). Each fixture also holds look-alikes (datasets,
# spaces, MIME types, paths, npm scopes, other URLs, strings outside model positions): none may appear.
EXPECTED: dict[str, set[tuple[str, int]]] = {
    "inference.py": {
        ("meta-llama/Llama-3.1-8B-Instruct", 18),
        ("meta-llama/Llama-3.1-8B-Instruct@v2.0", 18),
        ("acme-ai/llama-support-lora", 19),
        ("BAAI/bge-small-en-v1.5", 24),
        ("Qwen/Qwen2.5-0.5B-Instruct", 27),
        ("distilbert/distilbert-base-uncased-finetuned-sst-2-english", 44),
        ("Salesforce/blip-image-captioning-base", 45),
        ("cross-encoder/ms-marco-MiniLM-L-6-v2", 47),
        ("TheBloke/Mistral-7B-Instruct-v0.2-GGUF", 49),
        ("google/gemma-2-2b-it", 52),
        ("mistralai/Mistral-7B-v0.1", 56),
        ("acme-ai/suffix-only-v2", 39),  # f"{SUFFIX}-v2": an f-string built from constants
        ("acme-ai/suffix-only-v3", 40),  # SUFFIX + "-v3"
        ("microsoft/phi-2", 60),
    },
    "train.yaml": {
        ("meta-llama/Meta-Llama-3-8B", 2),
        ("mistralai/Mistral-7B-Instruct-v0.3", 3),
        ("Qwen/Qwen2.5-72B-Instruct", 11),
        ("OpenAssistant/reward-model-deberta-v3-large-v2", 14),
        ("weqweasdas/hh_rlhf_rm_open_llama_3b", 15),
        ("prometheus-eval/prometheus-7b-v2.0", 18),
        ("google/gemma-7b", 21),
        ("acme-ai/llama-sft-release", 23),
        ("google-bert/bert-base-uncased", 35),
    },
    "pipeline.json": {
        ("HuggingFaceH4/zephyr-7b-beta", 3),
        ("sentence-transformers/all-MiniLM-L6-v2", 8),
        ("BAAI/bge-reranker-base", 9),
        ("microsoft/deberta-v3-base", 13),
        ("FacebookAI/roberta-large", 14),
        ("acme-ai/support-bot-v1", 21),
        ("openai/whisper-large-v3", 22),
        ("nvidia/parakeet-tdt-0.6b-v2", 23),
    },
    "pyproject.toml": {
        ("acme-ai/support-bot", 7),
        ("ibm-granite/granite-3.0-2b-instruct", 11),
        ("meta-llama/Llama-Guard-3-8B", 16),
        ("nvidia/Llama-3.1-Nemotron-70B-Reward", 17),
        ("HuggingFaceTB/SmolLM2-1.7B-Instruct", 19),
        ("allenai/OLMo-2-1124-7B", 21),
        ("stabilityai/stable-diffusion-xl-base-1.0", 22),
        ("HuggingFaceTB/SmolLM2-135M", 31),
    },
    "fetch_models.sh": {
        ("meta-llama/Llama-3.2-1B", 5),
        ("Qwen/Qwen2.5-Coder-7B-Instruct@v1.1", 6),
        ("google/flan-t5-large", 12),
        ("microsoft/Phi-3-mini-4k-instruct", 15),
        ("openai-community/gpt2", 18),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", 20),
    },
    "Dockerfile": {
        ("mistralai/Mistral-7B-Instruct-v0.2", 4),
        ("sentence-transformers/paraphrase-MiniLM-L6-v2", 5),
        ("TinyLlama/TinyLlama-1.1B-Chat-v1.0", 10),
        ("google/gemma-2-9b-it", 15),
    },
    "README.md": {
        ("mistralai/Mistral-7B-v0.1", 3),
        ("mistralai/Mistral-7B-v0.1", 9),
        ("acme-ai/support-bot", 10),
        ("acme-ai/support-bot-GGUF", 11),
        ("acme-ai/support-bot-mirror", 12),
        ("acme-ai/support-bot-instruct", 23),
        ("acme-ai/support-bot-awq", 27),
        ("meta-llama/Llama-2-7b-hf", 34),
    },
    "classify.js": {
        ("Xenova/distilbert-base-uncased-finetuned-sst-2-english", 5),
        ("Xenova/all-MiniLM-L6-v2", 7),
        ("onnx-community/Qwen2.5-0.5B-Instruct", 8),
        ("Xenova/bert-base-uncased", 9),
        ("mistralai/Mistral-7B-Instruct-v0.2", 14),
        ("Xenova/whisper-tiny.en", 20),
    },
}


def pairs(refs: list[ModelReference]) -> set[tuple[str, int]]:
    return {(ref.model, ref.line) for ref in refs}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_references_are_exact(name: str) -> None:
    path = DATA / name
    refs = scan_file(path)
    assert pairs(refs) == EXPECTED[name]
    assert all(ref.file == str(path) for ref in refs)
    assert refs == sorted(refs, key=lambda r: (r.file, r.line, r.model))
    assert len(refs) == len(set(refs))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_line_holds_its_model(name: str) -> None:
    """The reported line is where the id is written (checked against the fixture text itself)."""
    lines = (DATA / name).read_text(encoding="utf-8").replace("\\/", "/").split("\n")  # JSON may escape /
    built = {"acme-ai/suffix-only-v2", "acme-ai/suffix-only-v3"}  # put together from constants
    for model, line in EXPECTED[name]:
        assert model.partition("@")[0] in lines[line - 1] or model in built


def test_fixture_look_alikes_never_reported() -> None:
    models = {ref.model for ref in scan_paths([DATA])}
    for look_alike in (
        "acme-ai/support-tickets",  # dataset (load_dataset, datasets:, --dataset_name, /datasets/ links)
        "acme-ai/support-tickets-raw",  # hf_hub_download(..., repo_type="dataset")
        "acme-ai/gradio-demo",  # space
        "acme-ai/demo",
        "acme-ai/sft-traces",  # repo_id beside repo_type: dataset
        "acme-ai/eval-results",
        "acme-ai/support-logs",
        "application/json",  # MIME types
        "text/plain",
        "pytorch/vision",  # torch.hub (GitHub), not a Hub model
        "pytorch/pytorch",  # Docker image
        "nvidia/cuda",
        "huggingface/transformers",  # npm scope @huggingface/transformers
        "xenova/transformers",
        "acme-ai/tools",  # GitHub URL
        "org/name",  # strings outside model positions, non-HF URLs
        "some-org/not-passed-anywhere",
        "acme-ai/not-a-model-key",
        "not/a-model-key",
        "acme-ai/suffix-only",  # only a part of an f-string / concatenation
        "acme-ai/card-linked-model",  # a link in a docstring
        "acme-ai/weights.safetensors",  # a file, not a repo
        "models/cache",
        "commented/out-model",  # comments
        "Xenova/commented-out",
        "Xenova/block-comment",
        "acme-ai/in-a-text-block",  # a ```text block is not code
        "acme-ai/release-model",  # hf upload, not a download
        "acme-ai/eval-set",
        "acme-ai/x",
    ):
        assert look_alike not in models, look_alike


# -- what counts as a model id, through the simplest model position (a YAML `model:` key) ----------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("org/name", "org/name"),
        ("01-ai/Yi-1.5-34B", "01-ai/Yi-1.5-34B"),
        ("org/name@main", "org/name@main"),
        ("org/name@refs/pr/1", "org/name@refs/pr/1"),
        ("hf-hub:timm/vit_base_patch16_224.augreg_in21k", "timm/vit_base_patch16_224.augreg_in21k"),
        ("a" * 96 + "/" + "b" * 96, "a" * 96 + "/" + "b" * 96),
        ("a" * 97 + "/b", None),
        ("gpt2", None),  # no org: a legacy id, not `org/name`
        ("application/json", None),
        ("image/png", None),
        ("multipart/form-data", None),
        ("@scope/pkg", None),
        ("./models/x", None),
        ("/abs/path", None),
        ("~/models", None),
        ("models/bert/v1", None),
        ("org/model.bin", None),
        ("org/model.pt", None),
        ("org/model.gguf", None),
        ("org/config.yaml", None),
        ("org/weights.onnx", None),
        ("https://example.com/org/name", None),
        ("s3://bucket/key", None),
        ("github.com/org", None),
        ("org/name@", None),
        ("org/-name", None),
        ("org/name-", None),
        ("org/na--me", None),
        ("org/na..me", None),
        ("1/2", None),
        ("org/name with space", None),
        ("org/${VERSION}", None),
    ],
)
def test_model_id_rules(value: str, expected: str | None) -> None:
    refs = scan_text("c.yaml", f"model: {json.dumps(value)}\n")
    assert [ref.model for ref in refs] == ([expected] if expected else [])


# -- format details --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # Python
        ("a.py", 'M = "org/a"\ndef f():\n    return AutoModel.from_pretrained(M)\n', {("org/a", 1)}),
        ("a.py", 'def f():\n    m = "org/a"\n    return X.from_pretrained(m)\n', {("org/a", 2)}),
        ("a.py", 'def f(m):\n    return X.from_pretrained(m)\nm = "org/a"\n', set()),  # parameter shadows
        ("a.py", 'x = "org/a"\nprint(x)\n', set()),
        ("a.py", 'T = "dataset"\nhf_hub_download("org/a", "f", repo_type=T)\n', set()),
        ("a.py", 'hf_hub_download("org/a", "f", repo_type=kind)\n', set()),  # unknown type: not claimed
        ("a.py", 'hf_hub_download("org/a", "f", repo_type="model")\n', {("org/a", 1)}),
        ("a.py", 'snapshot_download(repo_id="org/a", repo_type=None)\n', {("org/a", 1)}),
        ("a.py", 'load_dataset("org/a")\nload_dataset(path="org/b", model="org/c")\n', set()),
        ("a.py", 'pipeline("org/a")\n', set()),  # the first argument of pipeline is the task
        ("a.py", 'LLM(model="org/a")\nInferenceClient("org/b")\n', {("org/a", 1), ("org/b", 2)}),
        ("a.py", 'timm.create_model("hf-hub:org/a", pretrained=True)\n', {("org/a", 1)}),
        ("a.py", 'a = "org/a" if big else "org/b"\nX.from_pretrained(a)\n', {("org/a", 1), ("org/b", 1)}),
        ("a.py", "a = b\nb = a\nX.from_pretrained(a)\n", set()),  # a cycle resolves to nothing
        ("a.py", 'os.environ.setdefault("BASE_MODEL", "org/a")\n', {("org/a", 1)}),
        ("a.py", 'class C:\n    model_id: str = field(default="org/a")\n', {("org/a", 2)}),
        ("a.py", 'X.from_pretrained("org/a")  # licensecheck: ignore\n', set()),
        ("a.py", 'cfg = {"repo_id": "org/a", "repo_type": "space"}\n', set()),
        ("a.py", 'cfg = {"repo_id": "org/a"}\n', {("org/a", 1)}),
        ("a.py", 'X.from_pretrained(\n    "org/a",\n)\n', {("org/a", 2)}),
        ("a.py", "X.from_pretrained(*args)\nX.from_pretrained(**kw)\n", set()),
        # YAML
        ("c.yml", "a:\n  b:\n    - c:\n        base_model: org/a\n", {("org/a", 4)}),
        ("c.yml", "model: [org/a, org/b]\n", {("org/a", 1), ("org/b", 1)}),
        ("c.yml", "model: 123\nbase_model: null\nteacher_model: {x: org/a}\n", set()),
        ("c.yml", "x: |\n  text\n  https://huggingface.co/org/a\n", {("org/a", 3)}),
        ("c.yml", "model: org/a\n---\nmodel: org/b\n", {("org/a", 1), ("org/b", 3)}),
        ("c.yml", "model: [unclosed\n", set()),
        ("c.yml", "model: !!binary b3JnL2E=\n", set()),
        # JSON
        ("c.json", '{"model": "org/a"}', {("org/a", 1)}),
        ("c.json", '["org/a", {"model": "org/b"}]', {("org/b", 1)}),
        ("c.json", '{"model": "org/a",}', set()),  # invalid JSON
        ("c.json", '{"model": \n\n  "org/a"}', {("org/a", 3)}),
        ("c.json", '{"baseModel": "org/a", "modelId": "org/b"}', {("org/a", 1), ("org/b", 1)}),
        # TOML
        ("c.toml", 'model = "org/a"\n', {("org/a", 1)}),
        ("c.toml", 'model = ["org/a"\nx = 1\n', set()),  # invalid TOML
        ("c.toml", '[a]\nrepo_id = "org/a"\n[b]\nrepo_id = "org/b"\nrepo_type = "dataset"\n', {("org/a", 2)}),
        # shell
        ("s.sh", "hf download org/a && hf download org/b --repo-type model\n", {("org/a", 1), ("org/b", 1)}),
        ("s.sh", "hf download --repo-type dataset org/a; hf download org/b\n", {("org/b", 1)}),
        ("s.sh", 'echo "unterminated\nhuggingface-cli download org/a\n', {("org/a", 2)}),
        ("s.sh", "python run.py model=org/a ++trainer.base_model=org/b\n", {("org/a", 1), ("org/b", 1)}),
        ("s.sh", "python run.py --model-id=org/a\n", {("org/a", 1)}),
        ("s.sh", "/usr/local/bin/huggingface-cli download org/a --revision abc123\n", {("org/a@abc123", 1)}),
        # Markdown and reStructuredText
        ("r.md", "see huggingface.co/org/a.\n", {("org/a", 1)}),
        ("r.md", "(https://huggingface.co/org/a#usage)\n", {("org/a", 1)}),
        ("r.md", "https://huggingface.co/org/a/discussions/3\n", {("org/a", 1)}),
        ("r.md", "https://huggingface.co/org/a/unknown-page\n", set()),
        ("r.md", "https://cdn-lfs.huggingface.co/org/a\n", set()),
        ("r.md", "https://huggingface.co/papers/2401.00001\n", set()),
        ("r.md", "https://huggingface.co/settings/tokens\n", set()),
        (
            "r.md",
            "```pycon\n>>> pipe = pipeline('x', model='org/a')\n[{'label': 'org/b'}]\n```\n",
            {("org/a", 2)},
        ),
        ("r.md", "```python\nthis is not python(\n```\n", set()),
        ("r.md", "---\nbase_model: org/a\n", set()),  # unterminated front matter is not front matter
        ("r.rst", "`model <https://huggingface.co/org/a>`_\n", {("org/a", 1)}),
        ("r.rst", "AutoModel.from_pretrained('org/a')\n", set()),
        # a link inside implicitly joined pieces is on the line that spells it, not the first one
        (
            "a.py",
            'URL = (\n    "see "\n    "https://huggingface.co/org/a "\n    "and https://huggingface.co/org/b"\n)\n',
            {("org/a", 3), ("org/b", 4)},
        ),
        (
            "a.py",
            'URL = "https://huggingface.co/org/a \\\nhttps://huggingface.co/org/b"\n',
            {("org/a", 1), ("org/b", 2)},
        ),
        # JavaScript / TypeScript
        ("a.ts", "const m = await pipeline('x', \"org/a\");\n", {("org/a", 1)}),
        ("a.ts", "const url = 'http://x.org/a'; // https://huggingface.co/org/b\n", set()),
        ("a.ts", "if (model == 'org/a') {}\n", set()),
        # unknown kinds, shebangs
        ("notes.txt", "huggingface-cli download org/a https://huggingface.co/org/b\n", set()),
        ("data.csv", "model\norg/a\n", set()),
        ("run", "#!/bin/bash\nhf download org/a\n", {("org/a", 2)}),
        ("serve", "#!/usr/bin/env python3\nX.from_pretrained('org/a')\n", {("org/a", 2)}),
        ("LICENSE", "hf download org/a\n", set()),
        ("Dockerfile.gpu", "RUN hf download org/a\n", {("org/a", 1)}),
    ],
)
def test_format_details(name: str, text: str, expected: set[tuple[str, int]]) -> None:
    assert pairs(scan_text(name, text)) == expected


def test_crlf_and_bom() -> None:
    text = "\ufeff# comment\r\nX.from_pretrained(\r\n    'org/a'\r\n)\r\n"
    assert pairs(scan_text("a.py", text)) == {("org/a", 3)}
    assert pairs(scan_text("s.sh", "hf download \\\r\n  org/a\r\n")) == {("org/a", 2)}
    assert pairs(scan_text("c.json", '\ufeff{\r\n"model": "org/a"}')) == {("org/a", 2)}


# -- scan_paths ------------------------------------------------------------------------------------


def test_scan_paths_walks_skips_sorts_and_dedupes(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "repo")
    repo = tmp_path / "repo"
    for skipped in (".git", "node_modules", ".venv", "venv", "__pycache__", "build", "dist"):
        (repo / skipped).mkdir()
        (repo / skipped / "x.py").write_text('X.from_pretrained("skipped/model")\n')
    (repo / "sub").mkdir()
    (repo / "sub" / "b.yaml").write_text("model: org/b\n")
    (repo / "weights.bin").write_bytes(b"\0\1\2")
    refs = scan_paths([repo, repo / "sub" / "b.yaml", repo / "train.yaml"])
    assert refs == sorted(set(refs), key=lambda r: (r.file, r.line, r.model))
    assert "skipped/model" not in {ref.model for ref in refs}
    assert ModelReference("org/b", str(repo / "sub" / "b.yaml"), 1) in refs
    expected = {(str(repo / name), model, line) for name, found in EXPECTED.items() for model, line in found}
    expected.add((str(repo / "sub" / "b.yaml"), "org/b", 1))
    assert {(ref.file, ref.model, ref.line) for ref in refs} == expected


def test_scan_paths_missing_and_empty(tmp_path: Path) -> None:
    assert scan_paths([tmp_path / "missing.py", tmp_path]) == []
    assert scan_paths([]) == []


def test_scan_file_on_a_directory_or_unreadable(tmp_path: Path) -> None:
    assert scan_file(tmp_path) == []
    assert scan_file(tmp_path / "missing.yaml") == []


# -- hostile input ---------------------------------------------------------------------------------


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_bytes(b'X.from_pretrained("org/a")\n\x00\x01\x02\xff\xfe' * 10)
    assert scan_file(path) == []


def test_invalid_utf8_is_replaced_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_bytes(b'# caf\xe9 \xff\xfe\nX.from_pretrained("org/a")\nname = "bad\xc3("\n')
    assert pairs(scan_file(path)) == {("org/a", 2)}
    yaml_path = tmp_path / "c.yaml"
    yaml_path.write_bytes(b"note: caf\xe9\nmodel: org/a\n")
    assert pairs(scan_file(yaml_path)) == {("org/a", 2)}


def test_python_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text('X.from_pretrained("org/a")\ndef broken(:\n')
    assert scan_file(path) == []


def test_python_null_bytes_and_deep_nesting() -> None:
    assert scan_text("a.py", 'X.from_pretrained("org/a")\x00') == []
    assert scan_text("a.py", "x = " + "(" * 5000 + ")" * 5000) == []
    assert scan_text("a.py", "x = " + "[" * 150 + "]" * 150 + '\nX.from_pretrained("org/a")\n') != []


def test_yaml_alias_bomb(tmp_path: Path) -> None:
    lines = ["a: &a {model: org/bomb, x: [lol, lol, lol, lol, lol, lol, lol, lol, lol]}"]
    for level in range(1, 12):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert pairs(scan_file(path)) == {("org/bomb", 1)}


def test_yaml_recursive_alias_and_deep_nesting() -> None:
    assert pairs(scan_text("c.yaml", "a: &a\n  model: org/a\n  self: *a\n")) == {("org/a", 2)}
    assert scan_text("c.yaml", "x: " + "[" * 20000 + "]" * 20000 + "\n") == []


def test_yaml_unsafe_tags_are_not_constructed() -> None:
    text = "x: !!python/object/apply:os.system ['echo pwned']\nmodel: org/a\n"
    assert pairs(scan_text("c.yaml", text)) == {("org/a", 2)}


def test_file_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    body = "model: org/huge\n" + "# padding padding padding padding padding padding\n" * (
        6 * 1024 * 1024 // 50
    )
    path.write_text(body)
    assert path.stat().st_size > MAX_BYTES
    assert scan_file(path) == []
    under = tmp_path / "big.yaml"
    under.write_text("model: org/big\n" + "#" * 1000 + "\n")
    assert pairs(scan_file(under)) == {("org/big", 1)}


def test_deeply_nested_json() -> None:
    depth = 5000  # deeper than json.loads recurses: the tokenizer still finds the value
    text = '{"a": ' * depth + '{"model": "org/deep"}' + "}" * depth
    assert pairs(scan_text("c.json", text)) == {("org/deep", 1)}
    deeper = '{"model": "org/top", "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    assert pairs(scan_text("c.json", deeper)) == {("org/top", 1)}
    assert scan_text("c.json", "[" * 100_000) == []


def test_deeply_nested_toml() -> None:
    text = 'model = "org/a"\nx = ' + "[" * 5000 + "]" * 5000 + "\n"
    assert scan_text("c.toml", text) in ([], [ModelReference("org/a", "c.toml", 1)])


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(
        ["a.py", "c.yaml", "c.json", "c.toml", "s.sh", "Dockerfile", "r.md", "r.rst", "a.js"]
    ),
    text=st.text(
        alphabet=st.sampled_from(list("\"'`{}[]()<>:=,#/@\\|&;-_.\n\r\t $!*%abcorgmdl01")), max_size=300
    ),
)
def test_scan_text_never_raises(name: str, text: str) -> None:
    for ref in scan_text(name, text):
        assert ref.file == name and ref.line >= 1 and "/" in ref.model


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_scan_text_never_raises_on_any_unicode(text: str) -> None:
    for name in ("a.py", "c.yaml", "c.json", "c.toml", "s.sh", "r.md", "a.js"):
        scan_text(name, text)
