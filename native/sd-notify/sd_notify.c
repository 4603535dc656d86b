// sendDatagram(address, bytes): one AF_UNIX datagram to `address` ("/path" or "@abstract"),
// sent by the calling process, so the receiver's SCM_CREDENTIALS name this PID (what systemd's
// NotifyAccess=main checks). Returns 0 or an errno; never blocks and never throws for I/O.
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <node_api.h>
#include "process_control.h"
#include "sock_diag.h"

// The longest address we accept, plus room to detect one that is too long.
#define ADDRESS_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) + 1)

static int fill_address(const char *address, size_t length, struct sockaddr_un *un, socklen_t *un_length) {
  memset(un, 0, sizeof *un);
  un->sun_family = AF_UNIX;
  if (length == 0 || memchr(address, '\0', length) != NULL) return EINVAL;
  if (address[0] == '@') {
    // Linux abstract namespace: a leading NUL instead of '@', and no terminating NUL.
    if (length > sizeof un->sun_path) return ENAMETOOLONG;
    memcpy(un->sun_path + 1, address + 1, length - 1);
    *un_length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length);
    return 0;
  }
  if (address[0] != '/') return EAFNOSUPPORT;
  if (length >= sizeof un->sun_path) return ENAMETOOLONG;
  memcpy(un->sun_path, address, length);
  *un_length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length + 1);
  return 0;
}

static int send_datagram(const char *address, size_t length, const void *data, size_t size) {
  struct sockaddr_un un;
  socklen_t un_length = 0;
  int error = fill_address(address, length, &un, &un_length);
  if (error != 0) return error;
  // Non-blocking: a receiver whose queue is full (a hung PID 1) yields EAGAIN, never a hung caller.
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return errno;
  ssize_t sent;
  do {
    sent = sendto(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT, (const struct sockaddr *)&un, un_length);
  } while (sent < 0 && errno == EINTR);
  error = sent < 0 ? errno : ((size_t)sent == size ? 0 : EMSGSIZE);
  close(fd);
  return error;
}

static napi_value throw_type_error(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static napi_value send_datagram_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) {
    return throw_type_error(env, "sendDatagram(address, bytes) takes two arguments");
  }
  char address[ADDRESS_MAX + 1];
  size_t length = 0;
  if (napi_get_value_string_utf8(env, argv[0], address, sizeof address, &length) != napi_ok) {
    return throw_type_error(env, "sendDatagram: the address must be a string");
  }
  bool is_typedarray = false;
  napi_typedarray_type type;
  size_t size = 0;
  void *data = NULL;
  if (napi_is_typedarray(env, argv[1], &is_typedarray) != napi_ok || !is_typedarray ||
      napi_get_typedarray_info(env, argv[1], &type, &size, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    return throw_type_error(env, "sendDatagram: the bytes must be a Uint8Array (or Buffer)");
  }
  // A copied length of ADDRESS_MAX means the address was cut: too long for sun_path.
  int error = length >= ADDRESS_MAX ? ENAMETOOLONG : send_datagram(address, length, data, size);
  napi_value result;
  napi_create_int32(env, error, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "sendDatagram", NAPI_AUTO_LENGTH, send_datagram_js, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "sendDatagram", fn) != napi_ok) return NULL;
  if (register_process_control(env, exports) != 0) return NULL;
  if (register_sock_diag(env, exports) != 0) return NULL;
  return exports;
}
