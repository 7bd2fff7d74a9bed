/* errors.c - error codes to messages and names, generated from ATX_ERRNO_MAP. */
#include "atx.h"

const char *atx_strerror(int err)
{
    switch (err) {
#define ATX_STRERROR_CASE(name, value, text) case ATX_E##name: return text;
        ATX_ERRNO_MAP(ATX_STRERROR_CASE)
#undef ATX_STRERROR_CASE
    default:
        return "unknown error";
    }
}

const char *atx_err_name(int err)
{
    switch (err) {
#define ATX_ERR_NAME_CASE(name, value, text) case ATX_E##name: return "ATX_E" #name;
        ATX_ERRNO_MAP(ATX_ERR_NAME_CASE)
#undef ATX_ERR_NAME_CASE
    default:
        return "ATX_UNKNOWN";
    }
}
