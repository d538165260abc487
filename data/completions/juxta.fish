# fish completion for juxta
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The commands and options are those of `juxta --help` and `juxta COMMAND --help`
# (src/cli/); keep them in step.

set -l commands compare plan demo history
set -l providers simulated openai azure-openai anthropic gemini vertex bedrock cohere mistral \
    together fireworks replicate huggingface groq openrouter portkey infron ollama custom

complete -c juxta -f
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -a compare -d 'Stream one prompt to several providers and compare them'
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -a plan -d 'Monthly cost of a workload across models'
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -a demo -d 'Offline demo with simulated providers'
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -a history -d 'Stored rounds: list, show, export, delete'
complete -c juxta -n "not __fish_seen_subcommand_from $commands" -l version -d 'Show the version'
complete -c juxta -s h -l help -d 'Show help'
complete -c juxta -s p -l pane -x -a "$providers" -d 'A provider and model'
complete -c juxta -n "__fish_seen_subcommand_from compare plan demo" -l providers-file -r -F -d 'Extra provider definitions'
complete -c juxta -n "__fish_seen_subcommand_from compare plan demo" -l format -x -a 'table json csv' -d 'Output format'

complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l system -x -d 'System prompt'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l max-tokens -x -d 'Maximum output tokens'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l temperature -x -d 'Sampling temperature, 0 to 2'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l runs -x -d 'Sequential rounds'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l timeout -x -d 'Seconds to the start of a response, 1 or more'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l idle-timeout -x -d 'Seconds of silence while streaming, 1 or more'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l max-time -x -d 'Most seconds one answer may take, 0 = no limit'
complete -c juxta -n "__fish_seen_subcommand_from compare demo" -l max-output -x -d 'Most MiB of text kept per answer, 0 = no limit'

complete -c juxta -n "__fish_seen_subcommand_from plan" -l requests-per-day -x -d 'Requests a day'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l requests-per-month -x -d 'Requests a month'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l input-tokens -x -d 'Input tokens per request'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l output-tokens -x -d 'Output tokens per request'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l cached-share -x -d 'Share of cached input, 0 to 1'
complete -c juxta -n "__fish_seen_subcommand_from plan" -l batch -d 'Use the batch price'
complete -c juxta -n "__fish_seen_subcommand_from compare" -l no-history -d 'Do not store the rounds'

set -l history_commands list show export delete
complete -c juxta -n "__fish_seen_subcommand_from history; and not __fish_seen_subcommand_from $history_commands" -a list -d 'Stored rounds, newest first'
complete -c juxta -n "__fish_seen_subcommand_from history; and not __fish_seen_subcommand_from $history_commands" -a show -d 'One round: prompt, answers, figures'
complete -c juxta -n "__fish_seen_subcommand_from history; and not __fish_seen_subcommand_from $history_commands" -a export -d 'Rounds to CSV, JSON Lines or Markdown'
complete -c juxta -n "__fish_seen_subcommand_from history; and not __fish_seen_subcommand_from $history_commands" -a delete -d 'Delete rounds'
complete -c juxta -n "__fish_seen_subcommand_from history" -l format -x -a 'table json csv markdown' -d 'Output format'
complete -c juxta -n "__fish_seen_subcommand_from history" -l provider -x -a "$providers" -d 'Only rounds with this provider'
complete -c juxta -n "__fish_seen_subcommand_from history" -l model -x -d 'Only rounds with this model'
complete -c juxta -n "__fish_seen_subcommand_from history" -l since -x -d 'Rounds started at or after (ISO 8601)'
complete -c juxta -n "__fish_seen_subcommand_from history" -l until -x -d 'Rounds started before (ISO 8601)'
complete -c juxta -n "__fish_seen_subcommand_from history" -l outcome -x -a 'ok error' -d 'Every answer ok, or one failed'
complete -c juxta -n "__fish_seen_subcommand_from history" -l search -x -d 'Every word in the prompt or answers'
complete -c juxta -n "__fish_seen_subcommand_from history" -l series -x -d 'The rounds of one repeated run'
complete -c juxta -n "__fish_seen_subcommand_from history" -l limit -x -d 'At most N rounds'
complete -c juxta -n "__fish_seen_subcommand_from history" -s o -l output -r -F -d 'Write to a file'
complete -c juxta -n "__fish_seen_subcommand_from history" -l all -d 'delete: every round'
complete -c juxta -n "__fish_seen_subcommand_from history" -l yes -d 'delete --all: do not ask'
