#include <mysql.h>
#include <mariadb_rpl.h>

/* Swift cannot call C variadic functions or function-like macros: these typed wrappers stand in. */

/* mariadb_rpl_init is a macro over mariadb_rpl_init_ex. */
static inline MARIADB_RPL *cdc_rpl_init(MYSQL *mysql) {
    return mariadb_rpl_init_ex(mysql, MARIADB_RPL_VERSION);
}

/* Binlog file to start from; length 0 with a C string is allowed (strlen is used). */
static inline int cdc_rpl_set_filename(MARIADB_RPL *rpl, const char *name, size_t length) {
    return mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, name, length);
}

static inline int cdc_rpl_set_start(MARIADB_RPL *rpl, unsigned long position) {
    return mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, position);
}

static inline int cdc_rpl_set_server_id(MARIADB_RPL *rpl, unsigned int server_id) {
    return mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, server_id);
}

static inline int cdc_rpl_set_flags(MARIADB_RPL *rpl, unsigned int flags) {
    return mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, flags);
}

static inline int cdc_rpl_set_verify_checksum(MARIADB_RPL *rpl, uint32_t verify) {
    return mariadb_rpl_optionsv(rpl, MARIADB_RPL_VERIFY_CHECKSUM, verify);
}
