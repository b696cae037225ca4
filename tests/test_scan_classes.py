"""The miss and false-positive classes of issue 15, one case each, and how candidates are settled.

Misses: ids in lists, dicts and registries with no model-named key, settings named `*path*`, `VAE_NAME`,
`tokenizer`, `repo_id` variables passed positionally, Markdown bullets, f-strings from constants,
environment defaults, CLI arguments. False positives: LiteLLM provider ids, `--model` of non-Hub tools,
URLs and ids in docstrings and comments, datasets, Docker images, GitHub owner/repo, npm scopes, MIME
types, file paths, upload targets.
"""

from __future__ import annotations

import pytest

from licensecheck.scan import ModelReference, scan_text

KB = ("meta-llama", "Qwen", "BAAI", "stabilityai", "google")  # organisations known offline


def found(name: str, text: str, known: tuple[str, ...] = KB) -> set[tuple[str, int]]:
    return {(ref.model, ref.line) for ref in scan_text(name, text, known_orgs=known)}


MISSES = [
    # a registry dict whose keys are sizes, assigned to a model-named variable
    (
        "a.py",
        '_MODELS = {\n    "tiny": "Systran/faster-whisper-tiny",\n    "base": "Systran/x-base",\n}\n',
        {("Systran/faster-whisper-tiny", 2), ("Systran/x-base", 3)},
    ),
    # a list whose name says nothing, whose neighbour is a known model
    (
        "a.py",
        'CANDIDATES = ["meta-llama/Llama-3.1-8B", "acme/llama-ft"]\n',
        {("meta-llama/Llama-3.1-8B", 1), ("acme/llama-ft", 1)},
    ),
    # {"default": "org/name"} beside a model
    (
        "a.py",
        'X = {"default": "acme/small", "big": "Qwen/Qwen2.5-72B"}\n',
        {("acme/small", 1), ("Qwen/Qwen2.5-72B", 1)},
    ),
    # settings whose name contains path
    ("a.py", 'MODEL_PATH = "acme/bot"\nbase_model_path = "acme/base"\n', {("acme/bot", 1), ("acme/base", 2)}),
    (
        "s.sh",
        "python train.py --base_model_path acme/base\nexport MODEL_PATH=acme/bot\n",
        {("acme/base", 1), ("acme/bot", 2)},
    ),
    ("Dockerfile", "ENV MODEL_PATH=acme/bot\n", {("acme/bot", 1)}),
    # VAE_NAME, tokenizer
    ("a.py", 'VAE_NAME = "acme/sdxl-vae"\ntokenizer = "acme/tok"\n', {("acme/sdxl-vae", 1), ("acme/tok", 2)}),
    # repo_id variable passed positionally to a Hub call
    ("a.py", 'repo_id = "acme/gguf"\nhf_hub_download(repo_id, "model.gguf")\n', {("acme/gguf", 1)}),
    # Markdown bullet lists with a known organisation, inline code, untagged fences
    (
        "r.md",
        "Models:\n- meta-llama/Llama-3.1-8B\n- `BAAI/bge-m3`\n",
        {("meta-llama/Llama-3.1-8B", 2), ("BAAI/bge-m3", 3)},
    ),
    ("r.md", "```\nm = AutoModel.from_pretrained('acme/x')\n```\n", {("acme/x", 2)}),
    # f-strings and concatenations from constants
    ("a.py", 'ORG = "acme"\nM = f"{ORG}/bot-7b"\nX.from_pretrained(M)\n', {("acme/bot-7b", 2)}),
    # environment defaults and CLI defaults
    ("a.py", 'm = os.environ.get("EMBED_MODEL", "acme/embed")\n', {("acme/embed", 1)}),
    ("a.py", 'p.add_argument("--teacher", default="acme/teacher-model")\n', {("acme/teacher-model", 1)}),
    ("a.py", 'p.add_argument("--teacher_model", default="acme/teacher")\n', {("acme/teacher", 1)}),
    # YAML model pools (a list under a model-named key) and keyword registries (hf_hub=)
    ("c.yaml", "model_pool:\n  - acme/a\n  - acme/b\n", {("acme/a", 2), ("acme/b", 3)}),
    (
        "a.py",
        "x = _pcfg(hf_hub='laion/CLIP-ViT-B-32/')\ny = _pcfg(hf_hub='acme/v/model.bin')\n",
        {("laion/CLIP-ViT-B-32", 1), ("acme/v", 2)},
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), MISSES)
def test_misses_are_found(name: str, text: str, expected: set[tuple[str, int]]) -> None:
    assert found(name, text) == expected


FALSE_POSITIVES = [
    # LiteLLM proxy configs: provider ids under litellm_params
    (
        "c.yaml",
        "model_list:\n  - model_name: m\n    litellm_params:\n      model: mistralai/mistral-7b-instruct\n",
    ),
    ("c.yaml", "model: openrouter/meta-llama/llama-3-70b\nother: anthropic/claude-3\n"),
    ("a.py", 'completion(model="together_ai/llama-3")\n'),
    # --model of non-Hub tools
    ("s.sh", "modelscope download --model Qwen/Qwen2.5-7B\nollama pull qwen/qwen2\n"),
    # docstrings and comments outside Markdown, with URLs in them
    (
        "a.py",
        '"""See https://huggingface.co/meta-llama/Llama-3.1-8B and meta-llama/Llama-3.1-8B."""\n'
        "# AutoModel.from_pretrained('meta-llama/Llama-3.1-8B')\n",
    ),
    ("a.py", 'def f():\n    """Example: X.from_pretrained("Qwen/Qwen2.5-7B")."""\n'),
    ("s.sh", "# hf download meta-llama/Llama-3.1-8B\n"),
    ("c.yaml", "# base_model: meta-llama/Llama-3.1-8B\nx: 1\n"),
    # datasets
    ("a.py", 'load_dataset("meta-llama/eval-set")\nDATASETS = {"x": "Qwen/docs"}\n'),
    ("c.yaml", "datasets:\n  - path: meta-llama/alpaca\n"),
    ("s.sh", "python train.py --dataset_name Qwen/data --data BAAI/corpus\n"),
    ("a.py", 'hf_hub_download("Qwen/data", "x.json", repo_type="dataset")\n'),
    # Docker images, GitHub owner/repo, npm scopes, MIME types, file paths
    ("Dockerfile", "FROM google/cloud-sdk:latest\nRUN docker run stabilityai/runner:1\n"),
    ("r.md", "See [google/gemma-cli](https://github.com/google/gemma-cli); google/gemma-cli is great.\n"),
    ("a.js", 'import { pipeline } from "@huggingface/transformers";\nconst t = "application/json";\n'),
    ("a.py", 'open("google/data/weights.bin")\nX = "./meta-llama/x"\nT = "text/plain"\n'),
    # upload targets
    ("a.py", 'api.upload_folder(repo_id="meta-llama/my-upload", folder_path=".")\n'),
    ("s.sh", "mlx_lm.fuse --model acme/x --upload-repo Qwen/my-fused\n"),
    ("r.md", "Run `python -m open_clip.push_to_hf_hub --repo-id google/my-push`.\n"),
    # prose pairs, unknown organisations offline
    ("r.md", "Use CPU/GPU and/or TCP/IP with acme/unknown-model.\n"),
]


@pytest.mark.parametrize(("name", "text"), FALSE_POSITIVES)
def test_false_positives_are_not_reported(name: str, text: str) -> None:
    refs = found(name, text)
    assert not any(
        model.startswith(("meta-llama/", "Qwen/", "BAAI/", "google/", "mistralai/")) for model, _ in refs
    )
    assert not any(
        model.split("/")[0]
        in ("openrouter", "anthropic", "together_ai", "huggingface", "application", "text", "acme")
        for model, _ in refs
        if name != "s.sh"
    )


def test_weak_candidates_need_a_known_organisation_or_the_hub() -> None:
    text = "Try the acme/small-7b model.\n"
    assert found("r.md", text, known=()) == set()
    assert found("r.md", text, known=("ACME",)) == {("acme/small-7b", 1)}  # case-insensitive
    asked: list[set[str]] = []

    def confirm(candidates: set[str]) -> set[str]:
        asked.append(candidates)
        return {"acme/small-7b"}

    refs = scan_text("r.md", text, confirm=confirm)
    assert [(r.model, r.why) for r in refs] == [("acme/small-7b", "named in Markdown; confirmed on the Hub")]
    assert asked == [{"acme/small-7b"}]  # one call with every uncertain candidate


def test_confirm_is_not_called_when_nothing_is_uncertain() -> None:
    def confirm(candidates: set[str]) -> set[str]:
        raise AssertionError(candidates)

    assert found("a.py", 'X.from_pretrained("acme/a")\n') == {("acme/a", 1)}
    assert scan_text("a.py", 'X.from_pretrained("acme/a")\n', confirm=confirm)[0].model == "acme/a"


def test_every_reference_says_why() -> None:
    refs = scan_text("a.py", 'M = "acme/a"\nX.from_pretrained(M)\nL = ["Qwen/Qwen2.5-7B"]\n', known_orgs=KB)
    whys = {ref.model: ref.why for ref in refs}
    assert whys["acme/a"] == "argument of from_pretrained()"
    assert "known organisation Qwen" in whys["Qwen/Qwen2.5-7B"]
    assert ModelReference("acme/a", "a.py", 1, "other") in refs  # the reason is not part of equality
