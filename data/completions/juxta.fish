# fish completion for juxta
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The commands and options are those of `juxta --help` and `juxta COMMAND --help`
# (src/cli/); keep them in step.

# HISTORY: add `history` to this list and below once the command exists.
set -l commands compare plan demo
set -l providers simulated openai azure-openai anthropic gemini vertex bedrock cohere mistral \
    together fireworks replicate huggingface groq openrouter portkey infron ollama custom

complete -c juxta -f
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -a compare -d 'Stream one prompt to several providers and compare them'
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -a plan -d 'Monthly cost of a workload across models'
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -a demo -d 'Offline demo with simulated providers'
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -l version -d 'Show the version'
complete -c juxta -s h -l help -d 'Show help'
complete -c juxta -s p -l pane -x -a "$providers" -d 'A provider and model'
complete -c juxta -n "__fish_seen_subcommand_from $commands" -l providers-file -r -F -d 'Extra provider definitions'
complete -c juxta -n "__fish_seen_subcommand_from $commands" -l format -x -a 'table json csv' -d 'Output format'

complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l system -x -d 'System prompt'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l max-tokens -x -d 'Maximum output tokens'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l temperature -x -d 'Sampling temperature, 0 to 2'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l runs -x -d 'Sequential rounds'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l timeout -x -d 'Seconds to the start of a response, 1 or more'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l idle-timeout -x -d 'Seconds of silence while streaming, 1 or more'

complete -c juxta -n "__fish_seen_subcommand_from plan" -l requests-per-day -x -d 'Requests a day'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l requests-per-month -x -d 'Requests a month'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l input-tokens -x -d 'Input tokens per request'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l output-tokens -x -d 'Output tokens per request'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l cached-share -x -d 'Share of cached input, 0 to 1'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l batch -d 'Use the batch price'
