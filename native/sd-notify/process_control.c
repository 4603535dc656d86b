// Two process-control calls Node has no API for, for supervisor mode (src/process/subreaper.ts):
// setChildSubreaper() makes this process the reaper of its orphaned descendants (prctl(2)
// PR_SET_CHILD_SUBREAPER), so that a helper a service detached with setsid() and whose parent
// died is re-parented to Lifeguard instead of PID 1: still Lifeguard's to find and stop.
// reapChild(pid) collects one such adopted child once it is a zombie (waitpid(2) with WNOHANG,
// for that pid only: never -1, which would take the exit statuses of Node's own children).
// readXattr(path, name) reads one extended attribute (getxattr(2)): how systemd marks a cgroup it
// delegated (`user.delegate`/`trusted.delegate` = "1"), so that Lifeguard creates cgroups for its
// services only where it was given that right (src/process/delegated-cgroup.ts).
// pollHangup(fd) says whether the other end of a pipe or socket is gone, without writing to it:
// how `lifeguard logs -f | head` learns that head exited while the log is quiet (poll(2); Node
// notices a closed pipe only at its next write, src/process/output-hangup.ts).
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sys/xattr.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <node_api.h>
#include "process_control.h"

static napi_value int_result(napi_env env, int value) {
  napi_value result;
  napi_create_int32(env, value, &result);
  return result;
}

// Returns 0 or an errno.
static napi_value set_child_subreaper_js(napi_env env, napi_callback_info info) {
  return int_result(env, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : errno);
}

// Returns the pid when it was reaped, 0 when it has not exited yet, or -errno (ECHILD: not our child).
static napi_value reap_child_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t pid = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, NULL, "reapChild(pid) takes one positive pid");
    return NULL;
  }
  int status = 0;
  pid_t reaped;
  do {
    reaped = waitpid((pid_t)pid, &status, WNOHANG);
  } while (reaped < 0 && errno == EINTR);
  return int_result(env, reaped < 0 ? -errno : (int)reaped);
}

// Returns the value as a string (at most 4095 bytes), or -errno (ENODATA: no such attribute).
static napi_value read_xattr_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char path[4096];
  char name[256];
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2 ||
      napi_get_value_string_utf8(env, argv[0], path, sizeof path, &length) != napi_ok || length == 0 || length >= sizeof path - 1 ||
      napi_get_value_string_utf8(env, argv[1], name, sizeof name, &length) != napi_ok || length == 0 || length >= sizeof name - 1) {
    napi_throw_type_error(env, NULL, "readXattr(path, name) takes a path and an attribute name");
    return NULL;
  }
  char value[4096];
  ssize_t size = getxattr(path, name, value, sizeof value - 1);
  if (size < 0) return int_result(env, -errno);
  napi_value result;
  napi_create_string_utf8(env, value, (size_t)size, &result);
  return result;
}

// Returns POLLERR, POLLHUP or POLLNVAL (their OR) when fd's other end is gone or fd is not open,
// 0 while it is open, or -errno. events 0: only those conditions are asked for, which poll(2)
// always reports (a pipe whose every reader closed is POLLERR for its writer).
static napi_value poll_hangup_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "pollHangup(fd) takes one file descriptor");
    return NULL;
  }
  struct pollfd entry = { .fd = fd, .events = 0, .revents = 0 };
  int ready;
  do {
    ready = poll(&entry, 1, 0);
  } while (ready < 0 && errno == EINTR);
  if (ready < 0) return int_result(env, -errno);
  return int_result(env, entry.revents & (POLLERR | POLLHUP | POLLNVAL));
}

int register_process_control(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "pollHangup", NAPI_AUTO_LENGTH, poll_hangup_js, NULL, &fn) != napi_ok) return -1;
  if (napi_set_named_property(env, exports, "pollHangup", fn) != napi_ok) return -1;
  if (napi_create_function(env, "readXattr", NAPI_AUTO_LENGTH, read_xattr_js, NULL, &fn) != napi_ok) return -1;
  if (napi_set_named_property(env, exports, "readXattr", fn) != napi_ok) return -1;
  if (napi_create_function(env, "setChildSubreaper", NAPI_AUTO_LENGTH, set_child_subreaper_js, NULL, &fn) != napi_ok) return -1;
  if (napi_set_named_property(env, exports, "setChildSubreaper", fn) != napi_ok) return -1;
  if (napi_create_function(env, "reapChild", NAPI_AUTO_LENGTH, reap_child_js, NULL, &fn) != napi_ok) return -1;
  if (napi_set_named_property(env, exports, "reapChild", fn) != napi_ok) return -1;
  return 0;
}
