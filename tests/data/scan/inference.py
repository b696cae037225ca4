"""Serve a classifier and an embedder (fixture for tests/test_scan.py).

Model card: https://huggingface.co/acme-ai/card-linked-model/blob/main/README.md.
Not models: https://huggingface.co/datasets/acme-ai/reviews, https://huggingface.co/spaces/acme-ai/demo,
https://huggingface.co/docs/transformers/index and https://github.com/acme-ai/tools.
"""

import argparse
import os

import torch
from datasets import load_dataset
from huggingface_hub import hf_hub_download, snapshot_download
from peft import PeftModel
from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

BASE = "meta-llama/Llama-3.1-8B-Instruct"
ADAPTER = "acme-ai/llama-support-lora"
DATASET = "acme-ai/support-tickets"
CONTENT_TYPE = "application/json"
UNUSED = "some-org/not-passed-anywhere"
SUFFIX = "acme-ai/suffix-only"
EMBEDDER_ID = os.getenv("EMBEDDER_ID", "BAAI/bge-small-en-v1.5")


def load(checkpoint="Qwen/Qwen2.5-0.5B-Instruct"):
    tokenizer = AutoTokenizer.from_pretrained(BASE)
    model = AutoModelForCausalLM.from_pretrained(
        pretrained_model_name_or_path=BASE,
        revision="v2.0",
        torch_dtype=torch.bfloat16,
    )
    model = PeftModel.from_pretrained(model, ADAPTER)
    draft = AutoModelForCausalLM.from_pretrained(checkpoint)
    local = AutoModelForCausalLM.from_pretrained("./checkpoints/final")
    nested = AutoModelForCausalLM.from_pretrained("outputs/run-1/checkpoint-500")
    weights = AutoModelForCausalLM.from_pretrained("acme-ai/weights.safetensors")
    dynamic = AutoModelForCausalLM.from_pretrained(f"{SUFFIX}-v2")
    joined = AutoModelForCausalLM.from_pretrained(SUFFIX + "-v3")
    return tokenizer, model, draft, local, nested, weights, dynamic, joined


classifier = pipeline("text-classification", "distilbert/distilbert-base-uncased-finetuned-sst-2-english")
captioner = pipeline(task="image-to-text", model="Salesforce/blip-image-captioning-base")
embedder = SentenceTransformer(EMBEDDER_ID)
reranker = CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2")

gguf = hf_hub_download(repo_id="TheBloke/Mistral-7B-Instruct-v0.2-GGUF", filename="model.Q4_K_M.gguf")
tickets = hf_hub_download("acme-ai/support-tickets-raw", "train.csv", repo_type="dataset")
demo = snapshot_download("acme-ai/gradio-demo", repo_type="space")
full = snapshot_download("google/gemma-2-2b-it")
train = load_dataset(DATASET, split="train")
vision = torch.hub.load("pytorch/vision", "resnet50")
headers = {"Content-Type": CONTENT_TYPE, "Accept": "text/plain"}
config = {"base_model": "mistralai/Mistral-7B-v0.1", "output_dir": "runs/sft"}
path_like = "org/name"

parser = argparse.ArgumentParser()
parser.add_argument("--model-name-or-path", default="microsoft/phi-2")
parser.add_argument("--output-dir", default="out/phi")
