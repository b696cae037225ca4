#!/usr/bin/env bash
# Download weights before training (fixture for tests/test_scan.py)
set -euo pipefail

huggingface-cli download meta-llama/Llama-3.2-1B --local-dir ./weights/llama
hf download Qwen/Qwen2.5-Coder-7B-Instruct --revision v1.1 --include "*.safetensors"
huggingface-cli download --repo-type dataset acme-ai/support-tickets
hf download HuggingFaceFW/fineweb-edu --repo-type=dataset
hf download acme-ai/gradio-demo --repo-type space
# huggingface-cli download commented/out-model
hf upload acme-ai/release-model ./out
export HF_MODEL_ID=google/flan-t5-large
DATA_DIR=data/raw
python train.py \
    --model_name_or_path microsoft/Phi-3-mini-4k-instruct \
    --dataset_name acme-ai/support-tickets \
    --output_dir out/phi3 && echo done
git clone https://huggingface.co/openai-community/gpt2 && git clone https://github.com/acme-ai/tools
curl -H "Content-Type: application/json" https://huggingface.co/api/models/acme-ai/x
vllm serve deepseek-ai/DeepSeek-R1-Distill-Qwen-7B --port 8000
echo "$MODEL" > models/current.txt
