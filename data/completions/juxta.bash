# bash completion for juxta                                    -*- shell-script -*-
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The commands and options are those of `juxta --help` and `juxta COMMAND --help`
# (src/cli/); keep them in step.

_juxta_providers ()
{
  # Provider ids of the catalog, without running anything that could open a window.
  echo "simulated openai azure-openai anthropic gemini vertex bedrock cohere mistral together
        fireworks replicate huggingface groq openrouter portkey infron ollama custom"
}

_juxta ()
{
  local cur prev command i
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=""
  [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()

  command=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      compare|plan|demo) command=${COMP_WORDS[i]}; break ;;
    esac
  done

  case $prev in
    --format)
      mapfile -t COMPREPLY < <(compgen -W "table json csv" -- "$cur")
      return 0 ;;
    --providers-file)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return 0 ;;
    -p|--pane)
      mapfile -t COMPREPLY < <(compgen -W "$(_juxta_providers)" -- "$cur")
      return 0 ;;
    --system|--max-tokens|--temperature|--runs|--timeout|--idle-timeout|--requests-per-day|\
    --requests-per-month|--input-tokens|--output-tokens|--cached-share)
      return 0 ;;
  esac

  local words
  case $command in
    compare|demo)
      words="--pane --providers-file --system --max-tokens --temperature --runs --timeout
             --idle-timeout --format --help" ;;
    plan)
      words="--requests-per-day --requests-per-month --input-tokens --output-tokens
             --cached-share --batch --pane --providers-file --format --help" ;;
    *)
      if [[ $cur == -* ]]; then
        words="--pane --help --version"
      else
        # HISTORY: add `history` here once the command exists.
        words="compare plan demo"
      fi ;;
  esac
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  return 0
} &&
  complete -F _juxta juxta
