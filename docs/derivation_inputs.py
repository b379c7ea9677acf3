"""The published figures methodology version 2 is derived from, each with its source.

Read by docs/derivation.py, which writes config/ and docs/derivation.md from them (the arithmetic is
there). A figure changes here, with its source, never in config/ by hand. Plain data, no logic.
"""

# --- Grid carbon intensity, life cycle, gCO2e/kWh --------------------------------------------------------
# Three life-cycle series (one system boundary: upstream fuel and plant life cycle included):
#   EMBER: Ember yearly country data, latest year (labelled 2024), as packaged by Green Web Foundation
#          CO2.js 0.19 (data/output/average-intensities.json, updated Aug 2025); EcoLogits 0.9.x ships the
#          same figures (FRA 44.18, DEU 344.14 ...).
#   ECOLOGITS_011: EcoLogits 0.10-0.11 electricity mixes (Ember/OWID, life cycle), the figures of the
#          version-2 issue's audit; the stored EcoLogits snapshot here (Nov 2025) still ships the 0.9 mixes,
#          so these six were not re-read from EcoLogits itself: the range around them holds the other series.
#   EMAPS: Electricity Maps yearly averages 2023, 2024, 2025 (life-cycle, the API's default), as packaged
#          by CO2.js 0.19 (data/output/electricity-maps/yearly_<year>.json, Feb 2026). Consumption-based
#          (imports included), hence its differences from Ember's production-based figures.
EMBER_SOURCE = "Ember yearly data via Green Web Foundation CO2.js 0.19 (Aug 2025)"
ECOLOGITS_011_SOURCE = "EcoLogits 0.10-0.11 mix (Ember/OWID)"
EMAPS_SOURCE = "Electricity Maps yearly 2023/2024/2025, life cycle, via CO2.js 0.19 (Feb 2026)"

# code: (name, name_fr, Ember ISO3 value or None, EcoLogits 0.10-0.11 value or None,
#        Electricity Maps zone, {year: value}, grid water intensity L/kWh, water source note)
ECOLOGITS_WATER = "EcoLogits 0.9 electricity-mix table (WRI figures), grid water intensity of {iso}"
REGIONS = {
    "france": ("France", "France", 44.18, 41.44, "FR", {2023: 49, 2024: 33, 2025: 31}, 3.6737, "FRA"),
    "germany": ("Germany", "Allemagne", 342.06, 329.65, "DE", {2023: 379, 2024: 341, 2025: 342}, 1.947, "DEU"),
    "ireland": ("Ireland", "Irlande", 279.79, 256.54, "IE", {2023: 403, 2024: 352, 2025: 301}, 1.4769, "IRL"),
    "sweden": ("Sweden", "Suède", 35.89, 35.26, "SE", {2023: 25, 2024: 23, 2025: 21}, 6.0315, "SWE"),
    "netherlands": ("Netherlands", "Pays-Bas", 252.7, None, "NL", {2023: 280, 2024: 251, 2025: 253}, 3.433, "NLD"),
    "finland": ("Finland", "Finlande", 72.25, None, "FI", {2023: 84, 2024: 80, 2025: 68}, 4.5289, "FIN"),
    "belgium": ("Belgium", "Belgique", 117.58, None, "BE", {2023: 175, 2024: 153, 2025: 180}, 2.6198, "BEL"),
    "italy": ("Italy", "Italie", 287.75, None, "IT", {2023: 316, 2024: 267, 2025: 286}, 4.8374, "ITA"),
    "spain": ("Spain", "Espagne", 146.15, None, "ES", {2023: 153, 2024: 129, 2025: 136}, 6.2088, "ESP"),
    "poland": ("Poland", "Pologne", 614.98, None, "PL", {2023: 726, 2024: 581, 2025: 565}, 2.5135, "POL"),
    "denmark": ("Denmark", "Danemark", 143.3, None, "DK", {2023: 140, 2024: 136, 2025: 123}, 3.1935, "DNK"),
    "austria": ("Austria", "Autriche", 102.62, None, "AT", {2023: 152, 2024: 119, 2025: 163}, 5.7222, "AUT"),
    "united-kingdom": ("United Kingdom", "Royaume-Uni", 215.79, None, "GB", {2023: 200, 2024: 175, 2025: 176},
                       2.329, "GBR"),
    "norway": ("Norway", "Norvège", 30.75, None, "NO", {2023: 34, 2024: 33, 2025: 30}, 6.6633, "NOR"),
    "switzerland": ("Switzerland", "Suisse", 36.72, None, "CH", {2023: 64, 2024: 42, 2025: 50}, 5.6641, "CHE"),
    "usa": ("United States", "États-Unis", 383.55, 384.4, "US", {2023: 420, 2024: 409, 2025: 414}, 3.1321, "USA"),
    "us-pjm": ("United States, PJM (Virginia, Ohio, Pennsylvania...)", "États-Unis, PJM (Virginie, Ohio, Pennsylvanie...)",
               None, None, "US-MIDA-PJM", {2023: 401, 2024: 403, 2025: 418}, 3.1321, "USA"),
    "us-bpa": ("United States, Bonneville (Oregon, Washington)", "États-Unis, Bonneville (Oregon, Washington)",
               None, None, "US-NW-BPAT", {2023: 123, 2024: 109, 2025: 129}, 3.1321, "USA"),
    "us-ercot": ("United States, ERCOT (Texas)", "États-Unis, ERCOT (Texas)",
                 None, None, "US-TEX-ERCO", {2023: 394, 2024: 377, 2025: 363}, 3.1321, "USA"),
    "us-caiso": ("United States, CAISO (California)", "États-Unis, CAISO (Californie)",
                 None, None, "US-CAL-CISO", {2023: 263, 2024: 229, 2025: 208}, 3.1321, "USA"),
    "us-miso": ("United States, MISO (Iowa, Midwest)", "États-Unis, MISO (Iowa, Midwest)",
                None, None, "US-MIDW-MISO", {2023: 503, 2024: 487, 2025: 501}, 3.1321, "USA"),
    "canada": ("Canada", "Canada", 184.99, None, "CA", {2023: 132, 2024: 132, 2025: 136}, 8.1662, "CAN"),
    "japan": ("Japan", "Japon", 483.73, None, "JP", {2023: 467, 2024: 464, 2025: 463}, 2.3063, "JPN"),
    "singapore": ("Singapore", "Singapour", 498.74, None, "SG", {2023: 488, 2024: 485, 2025: 483}, 3.908, "WOR"),
    "india": ("India", "Inde", 708.96, None, "IN", {2023: 613, 2024: 614, 2025: 593}, 3.4368, "IND"),
    "australia": ("Australia", "Australie", 553.76, None, "AU", {2023: 493, 2024: 489, 2025: 474}, 4.7293, "AUS"),
    "world": ("World average", "Moyenne mondiale", 472.94, 458.29, None, {}, 3.908, "WOR"),
}
DEFAULT_REGION = "france"

# Data-centre figures, the same for every region (no per-region figure of a provider was verified).
PUE = {"value": (1.15, "AWS 2024 global PUE 1.15"),
       "low": (1.09, "Google fleet 2024 trailing-twelve-month PUE 1.09"),
       "high": (1.56, "Uptime Institute Global Data Center Survey 2024, industry average 1.56")}
WUE = {"value": (0.27, "Microsoft FY2025 owned datacenters 0.27 L/kWh"),
       "low": (0.15, "AWS 2024 global WUE 0.15 L/kWh"),
       "high": (1.8, "industry average about 1.8 L/kWh, academic studies as cited by GreenBiz on AWS's 2021 report")}

# --- Market-based factor: the residual mix, direct CO2, gCO2/kWh (docs/derivation.md section 1.3) ---------
# Association of Issuing Bodies (AIB), European Residual Mixes, "Table 2: Residual Mixes", CO2 column
# (gCO2/kWh; AIB's FAQ on the residual mix: "Only direct emissions are considered. No LCA calculations are
# performed, and biogenic carbon emissions are not included either"). The PDFs (aib-net.org) could not be
# read here; each figure below is in two independent copies that agree (the second one cut to the unit, or
# to one decimal below 100):
#   themisiqco/themisiq: lib/ghg/factors/aib-2023.ts (commit 74cc7c0, each cell cited: "Residual Mixes!Q<row>",
#     "PDF Table 2, p. 7/8") for 2023; lib/ghg/engine.ts RESIDUAL_EU (commit 011f2cc, "AIB European Residual
#     Mixes 2024 (publ. 2025-05-30)") for 2024;
#   Mrzv-pv/hosmos: src/data/emission-factors.ts (commit a788ae3), GRID_FACTORS residualMix "2023"/"2024"
#     ("AIB European Residual Mixes 2024, 2024 v1.1, 2025-08-11"; "2023 Final");
#   Italy 2024 also in Italian factor registers (441.20, "European Residual Mixes 2024 (versione 1.1 dell'11 agosto
#     2025)", Tabella 2) and Belgium 2024 in a Belgian tariff sheet (131.73), whose repositories the search index
#     does not name.
# Germany: 719.9 (2023) and 724.56 (2024) are the residual mix; the 493 met in other code was not found in any
# cited edition. AIB's 2025 edition (data year 2025, 2026-05-26) was read in one copy only (themisiq
# lib/ghg/factors/aib-2025.ts; Italy's 420.2 also in an Italian register): not used until a second copy or the
# PDF agrees.
AIB_EDITIONS = {
    2023: "AIB, European Residual Mixes 2023 (data year 2023), Version 1.0, 2024-05-30, Table 2, CO2 column",
    2024: "AIB, European Residual Mixes 2024 (data year 2024), Version 1.0, 2025-05-30 (copies cite 1.0 or 1.1 of "
          "2025-08-11, same figures), Table 2, CO2 column",
}
# AIB's 2025 edition (data year 2025, Version 1.0, 2026-05-26), Table 2, as themisiq transcribed it (one copy;
# Italy's 420.2 also in an Italian register): printed in docs/derivation.md, not used.
AIB_2025_ONE_COPY = {"FR": 17.11, "DE": 701.47, "IE": 368.74, "SE": 208.56, "FI": 352.45, "BE": 171.01,
                     "IT": 420.2, "ES": 238.28, "PL": 726.96, "DK": 448.9}
# code: (AIB country code, {data year: gCO2/kWh})
MARKET_AIB = {
    "france": ("FR", {2023: 40.74, 2024: 23.52}),
    "germany": ("DE", {2023: 719.9, 2024: 724.56}),
    "ireland": ("IE", {2023: 445.5, 2024: 365.61}),
    "sweden": ("SE", {2023: 68.23, 2024: 85.52}),
    "finland": ("FI", {2023: 565.31, 2024: 405.59}),
    "belgium": ("BE", {2023: 167.49, 2024: 131.73}),
    "italy": ("IT", {2023: 500.57, 2024: 441.2}),
    "spain": ("ES", {2023: 282.45, 2024: 292.2}),
    "poland": ("PL", {2023: 788.24, 2024: 808.3}),
    "denmark": ("DK", {2023: 582.75, 2024: 421.89}),
}
# Regions without a market factor ("not assessed") and why, as docs/derivation.md section 1.3 prints it.
MARKET_NOT_ASSESSED = {
    "netherlands": "full disclosure: AIB's 2024 Table 2 prints NA (2023: 379.89); the 382.47 some copies give for "
                   "2024 is another sheet's figure (themisiq lib/ghg/factors/aib-2024.ts)",
    "austria": "full disclosure: AIB's 2023 Table 2 prints N/A (themisiq); a copy giving 227 and 210 (hosmos) "
               "disagrees with it",
    "norway": "AIB covers it, but one copy only (hosmos: 598 for 2023, 534 for 2024)",
    "switzerland": "AIB covers it, but one copy only (hosmos: 128, 120), and another copy cites 34.84",
    "united-kingdom": "one copy only (hosmos: 388 for 2023, 420 for 2024; GB is absent from themisiq's EU-27 "
                      "tables), and no official UK residual mix found",
    "us": "Green-e's residual mix is per eGRID subregion, not per Electricity Maps balancing authority; its 2025 "
          "edition (2023 data) was read in one copy only (themisiq: ERCT 823.81, CAMX 434.22 lb CO2/MWh)",
    "australia": "DCCEEW's national residual mix factor 0.81 kg CO2-e/kWh (NGA 2025, Table 2) is in two copies, "
                 "but a third gives 0.79 for NGA 2026 and the edition each applies to could not be settled",
    "others": "Canada, Japan, Singapore, India and the world: no residual mix publication found",
}

# --- Hardware and serving ------------------------------------------------------------------------------------
H100_TDP_W = 700  # NVIDIA H100 SXM datasheet, max thermal design power
H100_BF16_DENSE_FLOPS = 989.4e12  # NVIDIA H100 SXM datasheet, dense BF16 tensor (1,979 TFLOPS with sparsity)
H100_MEMORY_GB = 80
SERVER_GPUS = 8
SERVER_POWER_W = 1200  # EcoLogits llm.py: 8-GPU server without its GPUs, 1.2 kW
DGX_H100_MAX_W = 10200  # NVIDIA DGX H100 system max power 10.2 kW
EPOCH_POWER_SHARE = 0.7  # Epoch AI (Feb 2025): servers draw about 70 % of their rated power
GPU_EMBODIED_KG = {"value": 273, "low": 164}  # EcoLogits 0.11; NVIDIA HGX H100 PCF summary (1,312 kg / 8)
SERVER_EMBODIED_KG = 5700  # EcoLogits: 8-GPU server without GPUs
# Service life of the serving hardware, the average over the fleet: 3 years (EcoLogits 0.10+); high 5 years
# (Amazon 2024 Form 10-K, Feb 2025: the useful life of a subset of its servers and networking equipment
# shortened from 6 to 5 years from 1 January 2025, for "an increased pace of technology development,
# particularly in the area of artificial intelligence and machine learning"; Alphabet's and Microsoft's
# 6-year server lives, set in 2022-2023, predate that reversal); low 2 years: an assumption (accelerators
# replaced one generation early), no published figure found.
LIFETIME_YEARS = {"value": 3, "low": 2, "high": 5}

# EcoLogits llm.py (genai-impact/ecologits, Nov 2025): regressions fitted on ML.ENERGY leaderboard
# measurements (H100 80GB, vLLM), batch of 64 concurrent requests, active parameters in billions.
ECOLOGITS_BATCH = 64
GPU_ENERGY_ALPHA = 1.1665273170451914e-06  # Wh per token per GPU per billion active parameters (x exp(beta B))
GPU_ENERGY_BETA = -0.011205921025579175
GPU_ENERGY_GAMMA = 4.052928146734005e-05  # Wh per token per GPU
LATENCY_ALPHA = 0.0006785088094353663  # s per token per billion active parameters
LATENCY_BETA = 0.0003119310311688259  # s per token per concurrent request
LATENCY_GAMMA = 0.019473717579473387  # s per token
MEMORY_OVERHEAD = 1.2  # EcoLogits: weights x 1.2 (KV cache, activations)

# ML.ENERGY leaderboard, Llama-3.1-8B on H100, batch 64, GPU energy per output token: v3 (2025, newer
# vLLM) about 0.12 J, v2 (2024) about 0.20 J. The software vintage alone moves this 3-5x on other models.
MLENERGY_8B_J_PER_TOKEN = {"new": 0.12, "old": 0.20}

# Prefill is compute-bound: tokens/s = GPUs x peak FLOP/s x utilisation / (2 x active parameters).
# Utilisation (model FLOPs utilisation): Meta, "The Llama 3 Herd of Models" (2024), 38-43 % BF16 MFU on
# H100 (pre-training, the same dense matrix products). Low 20 %: an assumption (half the centre: shorter
# prompts batch less well than training sequences); no published measurement of production prefill MFU was
# found. Version 2's first low, Epoch AI's 10 % (Feb 2025), is its utilisation of a whole query, decode
# included (memory-bound): another quantity than the prefill's, so not a bound of it.
PREFILL_MFU = {"value": 0.40, "low": 0.20, "high": 0.43}

# Efficiency: Google, Aug 2025 (arXiv 2508.15734), median Gemini Apps text prompt 0.24 Wh = accelerators
# 0.14 + host 0.06 + idle machines 0.02 + data-centre overhead 0.02.
GOOGLE_WH = {"accelerators": 0.14, "host": 0.06, "idle": 0.02, "overhead": 0.02}
# Efficiency low: an assumption, a fleet idle twice as much as Google's (busy 0.20 Wh, idle 2 x 0.02 Wh:
# 0.20 / 0.24 = 0.833); no published measurement of a less utilised fleet was found. Version 1's 0.5 (its
# central value, unsourced) is no longer a bound. High: EcoLogits charges no idle time.
EFFICIENCY_IDLE_FACTOR_LOW = 2
EFFICIENCY_HIGH = 1.0

# Cached input tokens: a provider's price of a cache read over its price of an input token (list prices).
CACHE_LOW = 0.1  # the lowest ratio these providers charge (Anthropic, OpenAI GPT-5, DeepSeek)
CACHE_HIGH = 0.5  # the highest (OpenAI GPT-4o and GPT-4o mini)
CACHE = {
    "openai-4.1": (0.25, "OpenAI API pricing: GPT-4.1 family cached input 0.25x input ($0.50 vs $2.00 for GPT-4.1)"),
    "openai-4o": (0.5, "OpenAI API pricing: GPT-4o cached input 0.5x input ($1.25 vs $2.50; 4o mini $0.075 vs $0.15)"),
    "openai-o": (0.25, "OpenAI API pricing: o3 and o4-mini cached input 0.25x input ($0.50 vs $2.00 for o3)"),
    "openai-5": (0.1, "OpenAI API pricing: GPT-5 family cached input 0.1x input ($0.125 vs $1.25 for GPT-5)"),
    "anthropic": (0.1, "Anthropic pricing: prompt-cache reads 0.1x the base input price (cache writes 1.25x or 2x, "
                       "counted as input)"),
    "google": (0.25, "Google Gemini API pricing: Gemini 2.5 context-caching 0.25x input ($0.31 vs $1.25 for 2.5 Pro)"),
    "deepseek": (0.1, "DeepSeek API pricing (V3.2, Sept 2025): cache hit $0.028 vs cache miss $0.28 per M tokens"),
    "neighbour": (0.25, "no cache price of its own found: OpenAI's GPT-4.1 ratio 0.25x as neighbour"),
}

# --- Models ---------------------------------------------------------------------------------------------------
# Parameters in billions. ECO = EcoLogits models.json (genai-impact/ecologits, Nov 2025; undisclosed models
# estimated from leaks, benchmarks and prices, MoE active share 10-30 %: docs/methodology/proprietary_models.md).
# code: (name, name_fr, kind, total (value, low, high), active (value, low, high), bits for the central GPU
#        count, cache key, sources of the sizes). Bits: 16 for open weights served as published (BF16); 8 for
#        providers' hosted models of undisclosed size (served quantised for cost: DeepSeek-V3 publishes FP8
#        weights, OpenAI's open gpt-oss MXFP4), the 16-bit count as their high bound.
ECO = "EcoLogits models.json (Nov 2025)"
MODELS = {
    "llm-small-1xh100": ("8B-class LLM on 1 x H100 SXM", "LLM de classe 8B sur 1 x H100 SXM", "dense",
                         (8.03, 8.03, 8.03), (8.03, 8.03, 8.03), 16, "neighbour",
                         "Meta Llama 3.1 8B model card: 8.03B parameters, dense"),
    "llm-large-4xh100": ("70B-class LLM on 4 x H100 SXM", "LLM de classe 70B sur 4 x H100 SXM", "dense",
                         (70.55, 70.55, 70.55), (70.55, 70.55, 70.55), 16, "neighbour",
                         "Meta Llama 3.1/3.3 70B model cards: 70.55B parameters, dense"),
    "llama-405b": ("Llama 3.1 405B on H100 SXM", "Llama 3.1 405B sur H100 SXM", "dense",
                   (405.85, 405.85, 405.85), (405.85, 405.85, 405.85), 16, "neighbour",
                   "Meta Llama 3.1 405B model card: 405.85B parameters, dense"),
    "gpt-4-1": ("OpenAI GPT-4.1", "OpenAI GPT-4.1", "moe", (352, 352, 352), (70.5, 35, 106), 8, "openai-4.1",
                f"undisclosed; {ECO}: MoE, 352B total, 35-106B active"),
    "gpt-4-1-mini": ("OpenAI GPT-4.1 mini", "OpenAI GPT-4.1 mini", "dense", (76, 40, 112), (76, 40, 112), 8,
                     "openai-4.1", f"undisclosed; {ECO}: dense, 40-112B"),
    "gpt-4-1-nano": ("OpenAI GPT-4.1 nano", "OpenAI GPT-4.1 nano", "dense", (23.5, 10, 37), (23.5, 10, 37), 8,
                     "openai-4.1", f"undisclosed; {ECO}: dense, 10-37B"),
    "gpt-4o": ("OpenAI GPT-4o", "OpenAI GPT-4o", "moe", (440, 440, 440), (88, 44, 132), 8, "openai-4o",
               f"undisclosed; {ECO}: MoE, 440B total, 44-132B active (Epoch AI, Feb 2025, assumed about 100B active)"),
    "gpt-4o-mini": ("OpenAI GPT-4o mini", "OpenAI GPT-4o mini", "dense", (18, 8, 28), (18, 8, 28), 8, "openai-4o",
                    f"undisclosed; {ECO}: dense, 8-28B"),
    "o3": ("OpenAI o3", "OpenAI o3", "moe", (440, 440, 440), (88, 44, 132), 8, "openai-o",
           f"undisclosed and not in {ECO}: its estimate for o1 (MoE, 440B total, 44-132B active) as neighbour"),
    "o4-mini": ("OpenAI o4-mini", "OpenAI o4-mini", "dense", (18, 8, 28), (18, 8, 28), 8, "openai-o",
                f"undisclosed; {ECO}: dense, 8-28B"),
    "gpt-5": ("OpenAI GPT-5", "OpenAI GPT-5", "moe", (300, 300, 300), (60, 30, 90), 8, "openai-5",
              f"undisclosed; {ECO}: MoE, 300B total, 30-90B active"),
    "gpt-5-mini": ("OpenAI GPT-5 mini", "OpenAI GPT-5 mini", "dense", (47.5, 25, 70), (47.5, 25, 70), 8, "openai-5",
                   f"undisclosed; {ECO}: dense, 25-70B"),
    "gpt-5-nano": ("OpenAI GPT-5 nano", "OpenAI GPT-5 nano", "dense", (11.75, 5, 18.5), (11.75, 5, 18.5), 8,
                   "openai-5", f"undisclosed; {ECO}: dense, 5-18.5B"),
    "claude-opus": ("Anthropic Claude Opus (3, 4, 4.1, 4.5)", "Anthropic Claude Opus (3, 4, 4.1, 4.5)", "moe",
                    (2000, 2000, 2000), (400, 200, 600), 8, "anthropic",
                    f"undisclosed; {ECO}: Opus 3, 4 and 4.1 MoE, 2,000B total, 200-600B active; "
                    "Opus 4.5 (not in it) assumed the same class, its lower price suggesting the low end"),
    "claude-sonnet": ("Anthropic Claude Sonnet (3.5, 3.7, 4, 4.5)", "Anthropic Claude Sonnet (3.5, 3.7, 4, 4.5)",
                      "moe", (440, 440, 440), (88, 44, 132), 8, "anthropic",
                      f"undisclosed; {ECO}: Sonnet 3.5, 3.7, 4 and 4.5 MoE, 440B total, 44-132B active"),
    "claude-haiku-4-5": ("Anthropic Claude Haiku 4.5", "Anthropic Claude Haiku 4.5", "dense", (22.5, 10, 35),
                         (22.5, 10, 35), 8, "anthropic", f"undisclosed; {ECO}: dense, 10-35B"),
    "claude-3-5-haiku": ("Anthropic Claude 3.5 Haiku", "Anthropic Claude 3.5 Haiku", "dense", (18, 8, 28),
                         (18, 8, 28), 8, "anthropic", f"undisclosed; {ECO}: dense, 8-28B"),
    "gemini-2-5-pro": ("Google Gemini 2.5 Pro", "Google Gemini 2.5 Pro", "moe", (2000, 2000, 2000), (400, 200, 600),
                       16, "google", f"undisclosed; {ECO}: MoE, 2,000B total, 200-600B active"),
    "gemini-2-5-flash": ("Google Gemini 2.5 Flash", "Google Gemini 2.5 Flash", "moe", (440, 440, 440),
                         (88, 44, 132), 8, "google", f"undisclosed; {ECO}: MoE, 440B total, 44-132B active"),
    "gemini-2-5-flash-lite": ("Google Gemini 2.5 Flash-Lite", "Google Gemini 2.5 Flash-Lite", "dense", (18, 8, 28),
                              (18, 8, 28), 8, "google", f"undisclosed; {ECO}: dense, 8-28B"),
    "mistral-large": ("Mistral Large 2", "Mistral Large 2", "dense", (123, 123, 123), (123, 123, 123), 16,
                      "neighbour", "Mistral Large 2 (2407, 2411) model card: 123B parameters, dense"),
    "mistral-medium": ("Mistral Medium 3", "Mistral Medium 3", "dense", (95, 70, 120), (95, 70, 120), 16,
                       "neighbour", f"undisclosed; {ECO}: dense, 70-120B"),
    "mistral-small": ("Mistral Small 3", "Mistral Small 3", "dense", (23.6, 23.6, 23.6), (23.6, 23.6, 23.6), 16,
                      "neighbour", "Mistral Small 3 / 3.1 / 3.2 model cards: 24B (23.6B) parameters, dense"),
    "deepseek-v3": ("DeepSeek-V3 / R1", "DeepSeek-V3 / R1", "moe", (671, 671, 671), (37, 37, 37), 8, "deepseek",
                    "DeepSeek-V3 technical report (arXiv 2412.19437, Dec 2024): MoE, 671B total, 37B active, "
                    "weights published in FP8; DeepSeek-R1 (arXiv 2501.12948) has the same architecture"),
    "qwen3-235b-a22b": ("Qwen3 235B-A22B", "Qwen3 235B-A22B", "moe", (235, 235, 235), (22, 22, 22), 16, "neighbour",
                        "Qwen3 technical report (arXiv 2505.09388, May 2025): MoE, 235B total, 22B active"),
    "qwen3-30b-a3b": ("Qwen3 30B-A3B", "Qwen3 30B-A3B", "moe", (30.5, 30.5, 30.5), (3.3, 3.3, 3.3), 16, "neighbour",
                      "Qwen3 technical report (arXiv 2505.09388, May 2025): MoE, 30.5B total, 3.3B active"),
    "generic": ("Unknown model (very wide range)", "Modèle inconnu (fourchette très large)", "dense",
                (70.55, 8.03, 2000), (70.55, 3.3, 600), 16, "neighbour",
                "a model the methodology does not know: the 70B dense class at the centre; from the smallest sizes "
                "above (Qwen3 30B-A3B's 3.3B active, Llama 3.1 8B's 8.03B total) to the largest estimate above "
                f"({ECO}: 2,000B total, 600B active)"),
}

# --- Usage profiles ------------------------------------------------------------------------------------------
# A profile's token sizes are the AVERAGE over a year of requests: their range is the uncertainty of that
# average, not the spread of single requests (a 100-token and a 10,000-token prompt both occur; their mean
# is what the profile stands for). Bounds no publication gives are the methodology owner's assumption that
# the average is known within a factor 1.5 either way (rounded to two figures), written as such in each source.
CHATBOT_TOKENS = {
    "input_tokens": ((1000, 670, 1500),
                     "Input: Jegham et al. 2025 ('How Hungry is AI?') medium test prompt of about 1,000 input "
                     "tokens (their prompts: 100, 1,000, 10,000, single requests) as the average, a question with "
                     "its conversation and a few retrieved passages; bounds: assumption, the average known within "
                     "a factor 1.5 (no publication measures a documentation chatbot's average prompt)"),
    "output_tokens": ((400, 300, 500),
                      "Output: the 400-token answer of Mistral AI's Large 2 life-cycle analysis (July 2025) and of "
                      "EcoLogits' comparisons as the average; low: Jegham et al. 2025's short-query output (300); "
                      "high: Epoch AI's typical query (Feb 2025, 500 output tokens)"),
}
# code: (name, name_fr, model, tokens or None for the chatbot's, aliases, what it counts)
PROFILES = {
    "chatbot": ("Chatbot answer", "Réponse de chatbot", "llm-large-4xh100", None,
                ["llama-3.3-70b-instruct", "llama-3.1-70b-instruct", "meta-llama/Llama-3.3-70B-Instruct",
                 "meta-llama/Llama-3.1-70B-Instruct"],
                "Retrieval-augmented documentation chatbot served by a 70B-class open model; the aliases are the "
                "open-weight 70B models whose size their model cards give."),
    "completion": ("Completion", "Complétion", "llm-small-1xh100",
                   {"input_tokens": ((300, 200, 450), "Input: a field's text and its context: assumption of the "
                                     "methodology owner (no publication measures it), kept from version 1; bounds: the "
                                     "average known within a factor 1.5 (assumption)"),
                    "output_tokens": ((50, 33, 75), "Output: a few words to a sentence: assumption kept from "
                                      "version 1; bounds: the average within a factor 1.5 (assumption)")},
                   ["llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct"],
                   "Short completions (search suggestions, field autocompletion) served by an 8B-class model."),
    "search_answer": ("Search answer", "Réponse de recherche", "llm-large-4xh100",
                      {"input_tokens": ((3000, 2000, 4500), "Input: the top results' passages: assumption of the "
                                        "methodology owner (5-10 passages of 200-600 tokens), kept from version 1; "
                                        "bounds: the average within a factor 1.5 (assumption)"),
                       "output_tokens": ((250, 170, 380), "Output: a short answer: assumption kept from version 1; "
                                         "bounds: the average within a factor 1.5 (assumption)")},
                      [], "Generated answer above search results."),
    "summary": ("Summary", "Résumé", "llm-large-4xh100",
                {"input_tokens": ((6000, 4000, 9000), "Input: a topic or document: assumption of the methodology "
                                  "owner, kept from version 1; bounds: the average within a factor 1.5 (assumption)"),
                 "output_tokens": ((300, 200, 450), "Output: a short summary: assumption kept from version 1; bounds: "
                                   "the average within a factor 1.5 (assumption)")},
                [], "Summary of a topic or document."),
    "translation": ("Translation", "Traduction", "llm-small-1xh100",
                    {"input_tokens": ((800, 530, 1200), "Input: a topic section: assumption of the methodology owner, "
                                      "kept from version 1; bounds: the average within a factor 1.5 (assumption)"),
                     "output_tokens": ((800, 530, 1200), "Output: about as long as the input (same assumption, same "
                                       "bounds)")},
                    [], "Machine translation of a topic section."),
    "generic": ("Unknown model", "Modèle inconnu", "generic", None, [],
                "Any model the methodology does not name, when the user asks for unknown_models=generic: "
                "a very wide range, never a default."),
}

# Provider model names (API ids). The OpenAI reader also matches a name without its -YYYY-MM-DD suffix;
# other dated names (Anthropic's -YYYYMMDD, Mistral's -YYMM) are listed as the providers publish them.
MODEL_PROFILES = {
    "llama-3-1-405b": ("llama-405b", ["llama-3.1-405b-instruct", "meta-llama/Llama-3.1-405B-Instruct",
                                      "meta-llama/Meta-Llama-3.1-405B-Instruct"]),
    "gpt-4-1": ("gpt-4-1", ["gpt-4.1"]),
    "gpt-4-1-mini": ("gpt-4-1-mini", ["gpt-4.1-mini"]),
    "gpt-4-1-nano": ("gpt-4-1-nano", ["gpt-4.1-nano"]),
    "gpt-4o": ("gpt-4o", ["gpt-4o", "chatgpt-4o-latest"]),
    "gpt-4o-mini": ("gpt-4o-mini", ["gpt-4o-mini"]),
    "o3": ("o3", ["o3"]),
    "o4-mini": ("o4-mini", ["o4-mini"]),
    "gpt-5": ("gpt-5", ["gpt-5", "gpt-5-chat-latest", "gpt-5.1"]),
    "gpt-5-mini": ("gpt-5-mini", ["gpt-5-mini"]),
    "gpt-5-nano": ("gpt-5-nano", ["gpt-5-nano"]),
    "claude-opus": ("claude-opus", ["claude-opus-4-5", "claude-opus-4-5-20251101", "claude-opus-4-1",
                                    "claude-opus-4-1-20250805", "claude-opus-4-0", "claude-opus-4-20250514",
                                    "claude-3-opus-20240229", "claude-3-opus-latest"]),
    "claude-sonnet": ("claude-sonnet", ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "claude-sonnet-4-0",
                                        "claude-sonnet-4-20250514", "claude-3-7-sonnet-20250219",
                                        "claude-3-7-sonnet-latest", "claude-3-5-sonnet-20240620",
                                        "claude-3-5-sonnet-20241022", "claude-3-5-sonnet-latest"]),
    "claude-haiku-4-5": ("claude-haiku-4-5", ["claude-haiku-4-5", "claude-haiku-4-5-20251001"]),
    "claude-3-5-haiku": ("claude-3-5-haiku", ["claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"]),
    "gemini-2-5-pro": ("gemini-2-5-pro", ["gemini-2.5-pro", "gemini-2.5-pro-preview-03-25",
                                          "gemini-2.5-pro-preview-05-06", "gemini-2.5-pro-preview-06-05"]),
    "gemini-2-5-flash": ("gemini-2-5-flash", ["gemini-2.5-flash", "gemini-2.5-flash-preview-05-20",
                                              "gemini-2.5-flash-preview-09-2025"]),
    "gemini-2-5-flash-lite": ("gemini-2-5-flash-lite", ["gemini-2.5-flash-lite", "gemini-2.5-flash-lite-preview-06-17",
                                                        "gemini-2.5-flash-lite-preview-09-2025"]),
    "mistral-large": ("mistral-large", ["mistral-large-latest", "mistral-large-2411", "mistral-large-2407"]),
    "mistral-medium": ("mistral-medium", ["mistral-medium-latest", "mistral-medium-2508", "mistral-medium-2505"]),
    "mistral-small": ("mistral-small", ["mistral-small-latest", "mistral-small-2506", "mistral-small-2503",
                                        "mistral-small-2501"]),
    "deepseek-v3": ("deepseek-v3", ["deepseek-chat", "deepseek-v3", "deepseek-ai/DeepSeek-V3",
                                    "deepseek-ai/DeepSeek-V3-0324"]),
    "deepseek-r1": ("deepseek-v3", ["deepseek-reasoner", "deepseek-r1", "deepseek-ai/DeepSeek-R1",
                                    "deepseek-ai/DeepSeek-R1-0528"]),
    "qwen3-235b-a22b": ("qwen3-235b-a22b", ["qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B",
                                            "Qwen/Qwen3-235B-A22B-Instruct-2507"]),
    "qwen3-30b-a3b": ("qwen3-30b-a3b", ["qwen3-30b-a3b", "Qwen/Qwen3-30B-A3B"]),
}

# --- Equivalents: unchanged from version 1 (config.yaml written as is) -------------------------------------
EQUIVALENTS_YAML = """\
# Equivalents shown beside the totals: `amount` of `metric` per one `unit`.
equivalents:
  car-km:
    name: Distance driven by an average car
    name_fr: Distance parcourue par une voiture moyenne
    metric: carbon_total_gco2e
    unit: km
    unit_fr: km
    amount: {value: 218, low: 110, high: 249}
    source: >-
      gCO2e per km. ADEME Impact CO2 / Base Carbone, average combustion-engine car including fuel
      production (about 218 g/km); EEA, new cars registered in the EU in 2022, tailpipe WLTP (about
      110 g/km); US EPA Greenhouse Gas Equivalencies, typical passenger vehicle about 400 g CO2 per mile (249 g/km).
  smartphone-charge:
    name: Full smartphone charge
    name_fr: Recharge complète d’un smartphone
    metric: energy_kwh
    unit: charges
    unit_fr: recharges
    amount: {value: 0.015, low: 0.012, high: 0.019}
    source: >-
      kWh per full charge. US EPA Greenhouse Gas Equivalencies Calculator, "number of smartphones charged":
      0.012 kWh in earlier editions, 0.019 kWh in later ones (larger batteries); central value between them.
  shower:
    name: Shower
    name_fr: Douche
    metric: water_l
    unit: showers
    unit_fr: douches
    amount: {value: 60, low: 40, high: 80}
    source: >-
      Litres per shower. US EPA WaterSense: an average shower uses about 15.8 gallons (60 L) over 8.2 minutes;
      French Centre d'information sur l'eau: 60-80 L; a 5-minute shower with a 2 gallon/min WaterSense head: about 40 L.
"""


# How each model class's inference is procured (methodology.md section 13, GHG Protocol): the classes of
# open-weight models (served on rented cloud GPUs by default) are `cloud`; the models reached only through
# their provider's API are `api_service` (Scope 3 category 1, purchased services); a team serving a model
# on its own hardware declares `own_datacentre` in a new version. generic stands for a usage report's
# unknown models, which come from a provider's API.
OPEN_WEIGHT_CLASSES = ("llm-small-1xh100", "llm-large-4xh100", "llama-405b", "deepseek-v3", "qwen3-235b-a22b",
                       "qwen3-30b-a3b")


def procurement(code: str) -> str:
    return "cloud" if code in OPEN_WEIGHT_CLASSES else "api_service"
