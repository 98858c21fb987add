/*
 * Reference output from the C library, for comparing tsbpf's printf, strftime and strerror with it.
 * Reads one case per line from stdin and writes one line per case to stdout, every text hex-encoded
 * (prefixed with 'h') so that tabs, newlines and empty strings survive:
 *
 *   <type> h<format> <argument>      snprintf(format, argument converted to <type>)
 *   str h<format> h<string>          snprintf(format, string)
 *   tm h<format> <epoch seconds>     strftime(format, localtime(seconds)); "-" when it returns 0
 *   err <errno>                      strerror(errno)
 *
 * <type> is i8 i16 i32 i64 u8 u16 u32 u64 (the argument, read as an unsigned 64-bit decimal, is
 * converted to that C type before the call, as a C caller's expression would be) or ptr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *unhex(const char *field) {
  size_t length = strlen(field + 1) / 2;
  char *bytes = malloc(length + 1);
  for (size_t i = 0; i < length; i++) {
    unsigned int byte;
    sscanf(field + 1 + 2 * i, "%2x", &byte);
    bytes[i] = (char)byte;
  }
  bytes[length] = '\0';
  return bytes;
}

static void put_hex(const char *text, size_t length) {
  putchar('h');
  for (size_t i = 0; i < length; i++) printf("%02x", (unsigned char)text[i]);
  putchar('\n');
}

int main(void) {
  static char line[1 << 16];
  static char out[1 << 16];
  char kind[16], format_field[1 << 15], argument[1 << 15];
  while (fgets(line, sizeof line, stdin)) {
    int fields = sscanf(line, "%15s %32767s %32767s", kind, format_field, argument);
    if (fields >= 2 && strcmp(kind, "err") == 0) {
      const char *message = strerror(atoi(format_field));
      put_hex(message, strlen(message));
      continue;
    }
    if (fields != 3) {
      fprintf(stderr, "bad line: %s", line);
      return 2;
    }
    char *format = unhex(format_field);
    int length = -1;
    uint64_t raw = strtoull(argument, NULL, 10);
    if (strcmp(kind, "i8") == 0) length = snprintf(out, sizeof out, format, (int)(signed char)raw);
    else if (strcmp(kind, "u8") == 0) length = snprintf(out, sizeof out, format, (unsigned int)(unsigned char)raw);
    else if (strcmp(kind, "i16") == 0) length = snprintf(out, sizeof out, format, (int)(short)raw);
    else if (strcmp(kind, "u16") == 0) length = snprintf(out, sizeof out, format, (unsigned int)(unsigned short)raw);
    else if (strcmp(kind, "i32") == 0) length = snprintf(out, sizeof out, format, (int)raw);
    else if (strcmp(kind, "u32") == 0) length = snprintf(out, sizeof out, format, (unsigned int)raw);
    else if (strcmp(kind, "i64") == 0) length = snprintf(out, sizeof out, format, (long long)raw);
    else if (strcmp(kind, "u64") == 0) length = snprintf(out, sizeof out, format, (unsigned long long)raw);
    else if (strcmp(kind, "ptr") == 0) length = snprintf(out, sizeof out, format, (void *)(uintptr_t)raw);
    else if (strcmp(kind, "str") == 0) {
      char *text = unhex(argument);
      length = snprintf(out, sizeof out, format, text);
      free(text);
    } else if (strcmp(kind, "tm") == 0) {
      time_t seconds = (time_t)strtoll(argument, NULL, 10);
      struct tm broken;
      localtime_r(&seconds, &broken);
      size_t written = strftime(out, sizeof out, format, &broken);
      free(format);
      if (written == 0) puts("-");
      else put_hex(out, written);
      continue;
    } else {
      fprintf(stderr, "unknown type %s\n", kind);
      return 2;
    }
    free(format);
    if (length < 0) {
      fprintf(stderr, "snprintf failed\n");
      return 2;
    }
    put_hex(out, (size_t)length);
  }
  return 0;
}
