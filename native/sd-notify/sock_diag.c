// tcpSockets(family, states): the kernel's TCP sockets of this process's network namespace over
// netlink (NETLINK_SOCK_DIAG, as `ss` asks), for the `connection` check and forensics
// (src/process/sock-diag.ts). /proc/net/tcp prints every bucket of the kernel's connection hash
// table for each read (262144 on a server: some 7 ms, whatever the number of sockets); a dump over
// netlink skips the empty ones, but still walks them (some 2 ms there).
// tcpSocket(family, local, localPort, remote, remotePort): the one connection with that address
// pair, looked up in the hash (no walk): for a connection already known from a dump.
// Both return a Uint8Array of RECORD-byte records (layout below, multi-byte fields in host order
// except the addresses, which are in network order), or -errno (ENOENT: no such connection).
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <node_api.h>
#include "sock_diag.h"

// state u8, timer u8, retransmits u8, family u8 (4 or 6), local port u16, remote port u16,
// local address [16], remote address [16], receive queue u32, send queue u32, inode u32, uid u32.
#define RECORD 56
// Bound on the sockets returned: a table larger than this is cut (the caller says so).
#define MAX_SOCKETS 65536

static void write_record(uint8_t *record, const struct inet_diag_msg *socket_info) {
  memset(record, 0, RECORD);
  record[0] = socket_info->idiag_state;
  record[1] = socket_info->idiag_timer;
  record[2] = socket_info->idiag_retrans;
  record[3] = socket_info->idiag_family == AF_INET6 ? 6 : 4;
  uint16_t local_port = ntohs(socket_info->id.idiag_sport);
  uint16_t remote_port = ntohs(socket_info->id.idiag_dport);
  memcpy(record + 4, &local_port, 2);
  memcpy(record + 6, &remote_port, 2);
  memcpy(record + 8, socket_info->id.idiag_src, 16);
  memcpy(record + 24, socket_info->id.idiag_dst, 16);
  memcpy(record + 40, &socket_info->idiag_rqueue, 4);
  memcpy(record + 44, &socket_info->idiag_wqueue, 4);
  memcpy(record + 48, &socket_info->idiag_inode, 4);
  memcpy(record + 52, &socket_info->idiag_uid, 4);
}

// A dump of the sockets in `states` when `exact` is NULL, else the one socket `exact` names.
static int query(int family, uint32_t states, const struct inet_diag_sockid *exact, uint8_t **out, size_t *count) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return errno;
  struct {
    struct nlmsghdr header;
    struct inet_diag_req_v2 request;
  } message;
  memset(&message, 0, sizeof message);
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = exact == NULL ? NLM_F_REQUEST | NLM_F_DUMP : NLM_F_REQUEST;
  message.request.sdiag_family = (uint8_t)family;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = states;
  if (exact != NULL) message.request.id = *exact;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  if (sendto(fd, &message, sizeof message, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    int error = errno;
    close(fd);
    return error;
  }
  size_t capacity = 256;
  uint8_t *records = malloc(capacity * RECORD);
  if (records == NULL) {
    close(fd);
    return ENOMEM;
  }
  size_t used = 0;
  static char buffer[32768];
  int error = 0;
  for (int done = 0; !done;) {
    ssize_t length = recv(fd, buffer, sizeof buffer, 0);
    if (length < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    if (length == 0) break;
    for (struct nlmsghdr *header = (struct nlmsghdr *)buffer; NLMSG_OK(header, (size_t)length); header = NLMSG_NEXT(header, length)) {
      if (header->nlmsg_type == NLMSG_DONE) {
        done = 1;
        break;
      }
      if (header->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *failure = NLMSG_DATA(header);
        error = failure->error < 0 ? -failure->error : EPROTO;
        done = 1;
        break;
      }
      if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY || used >= MAX_SOCKETS) continue;
      if (used == capacity) {
        uint8_t *grown = realloc(records, capacity * 2 * RECORD);
        if (grown == NULL) {
          error = ENOMEM;
          done = 1;
          break;
        }
        records = grown;
        capacity *= 2;
      }
      write_record(records + used * RECORD, NLMSG_DATA(header));
      used += 1;
      // An exact request is answered by its one socket (or an error), with no NLMSG_DONE after it.
      if (exact != NULL) {
        done = 1;
        break;
      }
    }
  }
  close(fd);
  if (error != 0) {
    free(records);
    return error;
  }
  *out = records;
  *count = used;
  return 0;
}

// The records as a Uint8Array, or -error.
static napi_value records_js(napi_env env, int error, uint8_t *records, size_t count) {
  napi_value result;
  if (error != 0) {
    napi_create_int32(env, -error, &result);
    return result;
  }
  void *data = NULL;
  napi_value array_buffer;
  if (napi_create_arraybuffer(env, count * RECORD, &data, &array_buffer) != napi_ok) {
    free(records);
    return NULL;
  }
  if (count > 0) memcpy(data, records, count * RECORD);
  free(records);
  napi_create_typedarray(env, napi_uint8_array, count * RECORD, array_buffer, 0, &result);
  return result;
}

static napi_value tcp_sockets_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t family = 0;
  uint32_t states = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2 ||
      napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_get_value_uint32(env, argv[1], &states) != napi_ok) {
    napi_throw_type_error(env, NULL, "tcpSockets(family, states) takes 4 or 6 and a mask of TCP states");
    return NULL;
  }
  uint8_t *records = NULL;
  size_t count = 0;
  int error = query(family == 6 ? AF_INET6 : AF_INET, states, NULL, &records, &count);
  return records_js(env, error, records, count);
}

// An address argument: a Uint8Array of 4 (family 4) or 16 (family 6) bytes in network order.
static int address_arg(napi_env env, napi_value value, int family, uint32_t *address) {
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) return 0;
  if (length != (family == 6 ? 16u : 4u)) return 0;
  memcpy(address, data, length);
  return 1;
}

static napi_value tcp_socket_js(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int32_t family = 0;
  uint32_t local_port = 0, remote_port = 0;
  struct inet_diag_sockid id;
  memset(&id, 0, sizeof id);
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5 ||
      napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      !address_arg(env, argv[1], family, id.idiag_src) || napi_get_value_uint32(env, argv[2], &local_port) != napi_ok ||
      !address_arg(env, argv[3], family, id.idiag_dst) || napi_get_value_uint32(env, argv[4], &remote_port) != napi_ok ||
      local_port > 65535 || remote_port > 65535) {
    napi_throw_type_error(env, NULL, "tcpSocket(family, local, localPort, remote, remotePort) takes 4 or 6, addresses of 4 or 16 bytes, and ports");
    return NULL;
  }
  id.idiag_sport = htons((uint16_t)local_port);
  id.idiag_dport = htons((uint16_t)remote_port);
  id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  uint8_t *records = NULL;
  size_t count = 0;
  int error = query(family == 6 ? AF_INET6 : AF_INET, 0, &id, &records, &count);
  return records_js(env, error, records, count);
}

int register_sock_diag(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "tcpSockets", NAPI_AUTO_LENGTH, tcp_sockets_js, NULL, &fn) != napi_ok) return -1;
  if (napi_set_named_property(env, exports, "tcpSockets", fn) != napi_ok) return -1;
  if (napi_create_function(env, "tcpSocket", NAPI_AUTO_LENGTH, tcp_socket_js, NULL, &fn) != napi_ok) return -1;
  if (napi_set_named_property(env, exports, "tcpSocket", fn) != napi_ok) return -1;
  return 0;
}
