/**
 * @file info_tables.c  Element tables of mcptt-info, mcvideo-info and
 *                      mcdata-info
 *
 * Sources (see docs/wire.md for the evidence behind each):
 *   mcptt-info    TS 24.379 V18.13.0 Annex F.1.2 (verbatim XSD extract)
 *   mcvideo-info  TS 24.281 V18.14.0 Annex F.1.2 (XSD copy; head checked
 *                 against the Rel-18 text)
 *   mcdata-info   TS 24.282 Rel-18 Annex D.1.2 (read up to mcdata-client-id)
 *
 * Params rows are in schema (xs:sequence) order, which the encoder follows.
 * Elements we never use (MKFC-GKTPs, ...) have no row: a decoder ignores
 * them, as it ignores any element it does not know.
 */
#include <stddef.h>
#include <mcx/info.h>
#include "info.h"

/* TS 24.379 F.1.2 releaseReasonType */
static const char *const mcptt_release_reasons[] = {
	"private-call-expiry",
	"administrator-action",
	"not selected for call",
	"call-request-for-listened-to-client",
	"call-request-initiated-by-listened-to-client",
	"authentication of the MIKEY-SAKE I_MESSAGE failed",
	NULL
};

/* TS 24.281 F.1.2: the MCPTT list with "viewed" for "listened" */
static const char *const mcvideo_release_reasons[] = {
	"private-call-expiry",
	"administrator-action",
	"not selected for call",
	"call-request-for-viewed-to-client",
	"call-request-initiated-by-viewed-to-client",
	"authentication of the MIKEY-SAKE I_MESSAGE failed",
	NULL
};

/* TS 24.379 F.1.2 requestTypeType */
static const char *const mcptt_request_types[] = {
	"private-call-call-back-request",
	"private-call-call-back-cancel-request",
	"group-selection-change-request",
	"remotely-initiated-group-call-request",
	"remotely-initiated-private-call-request",
	"transfer-private-call-request",
	"functional-alias-status-determination",
	"forward-private-call-request",
	"forward-private-call-settings-request",
	"forward-private-call-settings-response",
	"fa-group-binding-req",
	NULL
};

/* TS 24.379 F.1.2 responseTypeType */
static const char *const mcptt_response_types[] = {
	"private-call-call-back-response",
	"private-call-call-back-cancel-response",
	"group-selection-change-response",
	"remotely-initiated-group-call-response",
	"remotely-initiated-private-call-response",
	"transfer-private-call-response",
	"forward-private-call-response",
	NULL
};

/* TS 24.281 F.1.2 */
static const char *const mcvideo_request_types[] = {
	"group-selection-change-request",
	"fa-group-binding-req",
	NULL
};

static const char *const mcvideo_response_types[] = {
	"group-selection-change-response",
	NULL
};

/* TS 24.379 F.1.2 forwardingReasonType; "migrated" since V18.13.0 */
static const char *const forwarding_reasons[] = {
	"immediate", "no-answer", "manual-input", "migrated", NULL
};

static const struct info_row mcptt_prm[] = {
	INFO_ROW("mcptt-access-token", IK_CONTENT, access_token,
		 INFO_TOKEN_MAX),
	INFO_ROW("session-type", IK_STRING, session_type, INFO_STR_MAX),
	INFO_ROW("mcptt-request-uri", IK_CONTENT, request_uri, INFO_URI_MAX),
	INFO_ROW("mcptt-calling-user-id", IK_CONTENT, calling_user_id,
		 INFO_URI_MAX),
	INFO_ROW("mcptt-called-party-id", IK_CONTENT, called_party_id,
		 INFO_URI_MAX),
	INFO_ROW("mcptt-calling-group-id", IK_CONTENT, calling_group_id,
		 INFO_URI_MAX),
	INFO_ROW("required", IK_CONTENT, required, INFO_STR_MAX),
	INFO_ROW("emergency-ind", IK_CONTENT, emergency_ind, INFO_STR_MAX),
	INFO_ROW("alert-ind", IK_CONTENT, alert_ind, INFO_STR_MAX),
	INFO_ROW("imminentperil-ind", IK_CONTENT, imminentperil_ind,
		 INFO_STR_MAX),
	INFO_ROW("broadcast-ind", IK_BOOL, broadcast_ind, 0),
	INFO_ROW("mc-org", IK_STRING, mc_org, INFO_STR_MAX),
	INFO_ROW("floor-state", IK_STRING, floor_state, INFO_STR_MAX),
	INFO_ROW("associated-group-id", IK_CONTENT_TEXT, associated_group_id,
		 INFO_URI_MAX),
	INFO_ROW("originated-by", IK_CONTENT, originated_by, INFO_URI_MAX),
	INFO_ROW("mcptt-client-id", IK_CONTENT, client_id, INFO_STR_MAX),
	INFO_ROW("alert-ind-rcvd", IK_CONTENT, alert_ind_rcvd, INFO_STR_MAX),
	INFO_ROW("gw-mcptt-usage", IK_BOOL, gw_usage, 0),
};

static const struct info_row mcptt_ext[] = {
	INFO_ENUM("release-reason", release_reason, mcptt_release_reasons),
	INFO_ENUM("request-type", request_type, mcptt_request_types),
	INFO_ENUM("response-type", response_type, mcptt_response_types),
	INFO_ROW("req-type", IK_CONTENT, req_type, INFO_STR_MAX),
	INFO_ROW("resp-type", IK_CONTENT, resp_type, INFO_STR_MAX),
	INFO_ENUM("forwarding-reason", forwarding_reason, forwarding_reasons),
	INFO_ROW("partner-mcptt-id", IK_CONTENT, partner_id, INFO_URI_MAX),
	INFO_ROW("primary-mcptt-id", IK_CONTENT, primary_id, INFO_URI_MAX),
	INFO_ROW("migration-auth-result", IK_CONTENT, migration_auth_result,
		 INFO_STR_MAX),
	INFO_ROW("selected-user-profile-index", IK_PROFILE_INDEX,
		 selected_profile_index, 0),
};

const struct info_desc info_mcptt_desc = {
	.mime = MCX_MCPTT_INFO_MIME,
	.ns = MCX_MCPTT_INFO_NS,
	.root = "mcpttinfo",
	.params = "mcptt-Params",
	.w_uri = "mcpttURI",
	.w_str = "mcpttString",
	.w_bool = "mcpttBoolean",
	.params_required = false,
	.ext_in_params = true,
	.prm = mcptt_prm,
	.nprm = sizeof(mcptt_prm) / sizeof(mcptt_prm[0]),
	.ext = mcptt_ext,
	.next = sizeof(mcptt_ext) / sizeof(mcptt_ext[0]),
};

static const struct info_row mcvideo_prm[] = {
	INFO_ROW("mcvideo-access-token", IK_CONTENT, access_token,
		 INFO_TOKEN_MAX),
	INFO_ROW("session-type", IK_STRING, session_type, INFO_STR_MAX),
	INFO_ROW("mcvideo-request-uri", IK_CONTENT, request_uri,
		 INFO_URI_MAX),
	INFO_ROW("mcvideo-calling-user-id", IK_CONTENT, calling_user_id,
		 INFO_URI_MAX),
	INFO_ROW("mcvideo-called-party-id", IK_CONTENT, called_party_id,
		 INFO_URI_MAX),
	INFO_ROW("mcvideo-calling-group-id", IK_CONTENT, calling_group_id,
		 INFO_URI_MAX),
	INFO_ROW("required", IK_CONTENT, required, INFO_STR_MAX),
	INFO_ROW("emergency-ind", IK_CONTENT, emergency_ind, INFO_STR_MAX),
	INFO_ROW("alert-ind", IK_CONTENT, alert_ind, INFO_STR_MAX),
	INFO_ROW("imminentperil-ind", IK_CONTENT, imminentperil_ind,
		 INFO_STR_MAX),
	INFO_ROW("broadcast-ind", IK_BOOL, broadcast_ind, 0),
	INFO_ROW("mc-org", IK_STRING, mc_org, INFO_STR_MAX),
	INFO_ROW("associated-group-id", IK_CONTENT_TEXT, associated_group_id,
		 INFO_URI_MAX),
	INFO_ROW("originated-by", IK_CONTENT, originated_by, INFO_URI_MAX),
	INFO_ROW("mcvideo-client-id", IK_CONTENT, client_id, INFO_STR_MAX),
	INFO_ROW("alert-ind-rcvd", IK_CONTENT, alert_ind_rcvd, INFO_STR_MAX),
	INFO_ROW("multiple-devices-ind", IK_CONTENT, multiple_devices_ind,
		 INFO_STR_MAX),
	INFO_ROW("video-pull-url", IK_CONTENT, video_pull_url, INFO_URI_MAX),
	INFO_ROW("gw-mcvideo-usage", IK_BOOL, gw_usage, 0),
};

static const struct info_row mcvideo_ext[] = {
	INFO_ENUM("release-reason", release_reason, mcvideo_release_reasons),
	INFO_ENUM("request-type", request_type, mcvideo_request_types),
	INFO_ENUM("response-type", response_type, mcvideo_response_types),
	INFO_ROW("req-type", IK_CONTENT, req_type, INFO_STR_MAX),
	INFO_ROW("resp-type", IK_CONTENT, resp_type, INFO_STR_MAX),
	INFO_ROW("partner-mcvideo-id", IK_CONTENT, partner_id, INFO_URI_MAX),
	INFO_ROW("primary-mcvideo-id", IK_CONTENT, primary_id, INFO_URI_MAX),
	INFO_ROW("migration-auth-result", IK_CONTENT, migration_auth_result,
		 INFO_STR_MAX),
	INFO_ROW("selected-user-profile-index", IK_PROFILE_INDEX,
		 selected_profile_index, 0),
};

const struct info_desc info_mcvideo_desc = {
	.mime = MCX_MCVIDEO_INFO_MIME,
	.ns = MCX_MCVIDEO_INFO_NS,
	.root = "mcvideoinfo",
	.params = "mcvideo-Params",
	.w_uri = "mcvideoURI",
	.w_str = "mcvideoString",
	.w_bool = "mcvideoBoolean",
	.params_required = true,
	.ext_in_params = true,
	.prm = mcvideo_prm,
	.nprm = sizeof(mcvideo_prm) / sizeof(mcvideo_prm[0]),
	.ext = mcvideo_ext,
	.next = sizeof(mcvideo_ext) / sizeof(mcvideo_ext[0]),
};

/* TS 24.282 D.1.2: the part of mcdata-ParamsType the Rel-18 text shows;
 * no 3GPP anyExt elements are known, so our elements go under the root's
 * <anyExt>, which D.1.2 does show. */
static const struct info_row mcdata_prm[] = {
	INFO_ROW("mcdata-access-token", IK_CONTENT, access_token,
		 INFO_TOKEN_MAX),
	INFO_ROW("request-type", IK_STRING, data_request_type, INFO_STR_MAX),
	INFO_ROW("mcdata-request-uri", IK_CONTENT, request_uri, INFO_URI_MAX),
	INFO_ROW("mcdata-calling-user-id", IK_CONTENT, calling_user_id,
		 INFO_URI_MAX),
	INFO_ROW("mcdata-called-party-id", IK_CONTENT, called_party_id,
		 INFO_URI_MAX),
	INFO_ROW("mcdata-calling-group-id", IK_CONTENT, calling_group_id,
		 INFO_URI_MAX),
	INFO_ROW("alert-ind", IK_CONTENT, alert_ind, INFO_STR_MAX),
	INFO_ROW("originated-by", IK_CONTENT, originated_by, INFO_URI_MAX),
	INFO_ROW("mcdata-client-id", IK_CONTENT, client_id, INFO_STR_MAX),
};

const struct info_desc info_mcdata_desc = {
	.mime = MCX_MCDATA_INFO_MIME,
	.ns = MCX_MCDATA_INFO_NS,
	.root = "mcdatainfo",
	.params = "mcdata-Params",
	.w_uri = "mcdataURI",
	.w_str = "mcdataString",
	.w_bool = "mcdataBoolean",
	.params_required = false,
	.ext_in_params = false,
	.prm = mcdata_prm,
	.nprm = sizeof(mcdata_prm) / sizeof(mcdata_prm[0]),
	.ext = NULL,
	.next = 0,
};
