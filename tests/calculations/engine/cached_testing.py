"""A small parameter set of its own for the cached-input-token tests (independent of config/).

Region `r`: PUE 1.2 (1.1-1.5), 50 gCO2e/kWh (40-60). Model `m`: 1 GPU x 1000 W (800-1200), no host,
prefill 10 000 tokens/s (5 000-20 000), decode 1 000 tokens/s (500-2 000), efficiency 0.5 (0.4-0.8),
cached_input_fraction 0.1 (0.05-0.5). Usage profile `chat` on `m`: 1 000 input (500-2 000) and
100 output (50-200) tokens per inference. `fixed=True` takes every range at its value but the fraction's.
"""

from __future__ import annotations

from dataclasses import replace

from calculations.engine.parameters import ModelProfile, Param, ParameterSet, Region, UsageProfile


def cached_parameters(*, fixed: bool = False, fraction: Param | None = Param(0.1, 0.05, 0.5)) -> ParameterSet:
    def p(value, low, high):
        return Param.exact(value) if fixed else Param(value, low, high)

    model = ModelProfile("m", "M", gpu_count=Param.exact(1), gpu_power_w=p(1000, 800, 1200), host_power_w=Param.exact(0),
                         prefill_tokens_per_s=p(10_000, 5000, 20_000), decode_tokens_per_s=p(1000, 500, 2000),
                         efficiency=p(0.5, 0.4, 0.8), cached_input_fraction=fraction)
    profile = UsageProfile("chat", "Chat", "m", input_tokens=p(1000, 500, 2000), output_tokens=p(100, 50, 200))
    region = Region("r", "R", pue=p(1.2, 1.1, 1.5), carbon_intensity=p(50, 40, 60))
    return ParameterSet("r", {"r": region}, {"m": model}, {"chat": profile}, version=None)


def without_fraction(parameters: ParameterSet) -> ParameterSet:
    return replace(parameters, models={"m": replace(parameters.models["m"], cached_input_fraction=None)})
