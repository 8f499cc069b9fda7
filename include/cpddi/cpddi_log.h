/* cpddi — the types of cpddi's log sink: the level of a line and the callback a host registers
 * with cpddi_set_log_callback (cpddi.h) to receive lines instead of stderr.
 *
 * This header names no Direct3D type, so cpddi's internals below the DDI front ends (src/base's
 * logging) can share the callback's exact type without seeing a DDI struct. Nothing here has
 * state; it is safe from any thread.
 */
#ifndef CPDDI_CPDDI_LOG_H_
#define CPDDI_CPDDI_LOG_H_

#ifdef __cplusplus
extern "C" {
#endif

typedef enum _CPDDI_LOG_LEVEL {
  CPDDI_LOG_NONE = 0,
  CPDDI_LOG_ERROR = 1,
  CPDDI_LOG_WARN = 2,
  CPDDI_LOG_INFO = 3,
  CPDDI_LOG_DEBUG = 4,
  CPDDI_LOG_TRACE = 5
} CPDDI_LOG_LEVEL;

/* A log sink: one complete line without newline. Lines never contain key or plaintext bytes. */
typedef void (*CPDDI_LOG_CALLBACK)(CPDDI_LOG_LEVEL level, const char* line, void* user);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_CPDDI_LOG_H_ */
