// Defaults of the CLI options, kept apart from the commands so that building
// the command tree (and --help, --version) does not load the machine.

/** Step budget of `verdict run` when --max-steps is not given (about 30 s of interpretation). */
export const DEFAULT_MAX_STEPS = "2^32";
