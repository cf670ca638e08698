#ifndef STROWGER_C_LIBFUZZER_H
#define STROWGER_C_LIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for a program that has its own `main` (https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library).
/// SwiftPM names the `main` of an executable target itself (`--defsym main=<Target>_main`), so the fuzz target
/// starts in Swift and hands its arguments to this.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
