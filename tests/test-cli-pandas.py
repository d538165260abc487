#!/usr/bin/env python3
# test-cli-pandas.py — `juxta demo --format json` reads into pandas and groups by model.
#
# The JSON Lines stream mixes response and summary records; each type has its own flat keys,
# so the usual one-liner works on the whole stream:
#     pandas.read_json(lines=True).groupby('model').ttft_ms.median()
#
# Usage: test-cli-pandas.py JUXTA
#
# SPDX-License-Identifier: GPL-3.0-or-later

import io
import os
import subprocess
import sys

import pandas  # python3-pandas; a missing module fails the test (CI installs it)


def main():
    juxta = sys.argv[1]
    env = dict(os.environ, LC_ALL='C')
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    # A cap above the simulated answers' length (at most 120 tokens): an answer cut at
    # max tokens ends "length" and is left out of the percentiles, which would be null.
    out = subprocess.run([juxta, 'demo', '--runs', '2', '--max-tokens', '200', '--format', 'json'],
                         env=env, check=True, stdout=subprocess.PIPE).stdout
    out.decode('utf-8')  # strict: valid UTF-8 whatever the locale

    frame = pandas.read_json(io.BytesIO(out), lines=True)
    assert set(frame['type']) == {'response', 'summary'}, frame['type']

    medians = frame.groupby('model').ttft_ms.median()
    responses = frame[frame['type'] == 'response']
    assert len(responses) == 8, len(responses)
    assert len(medians) == 4, medians
    for model, median in medians.items():
        assert model.startswith('sim-'), model
        assert median > 0, (model, median)
        assert median == responses[responses['model'] == model].ttft_ms.median()

    # Every response says which request and when: distinct ids, ISO 8601 times.
    assert responses['request_id'].is_unique
    assert pandas.api.types.is_datetime64_any_dtype(responses['started_at']), responses['started_at'].dtype

    # Summary figures are plain numbers with their own names.
    summaries = frame[frame['type'] == 'summary'].set_index('model')
    for name in ('ttft_ms_p50', 'ttft_ms_p95', 'ttft_ms_p99', 'e2e_ms_p50', 'decode_tokens_per_s_p50',
                 'cost_usd_total'):
        assert pandas.api.types.is_float_dtype(summaries[name]), (name, summaries[name].dtype)
    assert (summaries['runs'] == 2).all()
    assert (summaries['complete'] == 2).all()
    assert (summaries['ttft_ms_p50'] > 0).all()
    assert set(responses['finish_reason']) == {'stop'}, responses['finish_reason']
    assert set(responses['decode_basis']) == {'all'}, responses['decode_basis']

    print('ok: pandas groups', len(medians), 'models by ttft_ms')


if __name__ == '__main__':
    main()
