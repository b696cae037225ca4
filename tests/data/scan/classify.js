// Browser classifier (fixture for tests/test_scan.py)
import { pipeline, AutoModel, AutoTokenizer } from '@huggingface/transformers';
import { HfInference } from "@huggingface/inference";

const MODEL_ID = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
const classifier = await pipeline('sentiment-analysis', MODEL_ID);
const extractor = await pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2', { dtype: 'q8' });
const model = await AutoModel.from_pretrained("onnx-community/Qwen2.5-0.5B-Instruct");
const tokenizer = await AutoTokenizer.from_pretrained(`Xenova/bert-base-uncased`);
const dynamic = await AutoModel.from_pretrained(`${org}/dynamic-model`);
// const old = await pipeline('translation', 'Xenova/commented-out');
/* await AutoModel.from_pretrained("Xenova/block-comment"); */
const hf = new HfInference(token);
const out = await hf.textGeneration({ model: "mistralai/Mistral-7B-Instruct-v0.2", inputs: "hi" });
const res = await fetch("https://api.example.com/org/name", {
  headers: { "Content-Type": "application/json", Accept: "text/plain" },
});
const dataset = "acme-ai/support-tickets";
const image = new URL("./models/icon.png", import.meta.url);
const weights = "https://huggingface.co/Xenova/whisper-tiny.en/resolve/main/onnx/model.onnx";
