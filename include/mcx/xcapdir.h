/**
 * @file mcx/xcapdir.h  XCAP directory documents (OMA XDM Core)
 *
 * The CMS tells a client which documents it holds for the client's user
 * in one document of the OMA application usage
 * "org.openmobilealliance.xcap-directory":
 *
 *   GET ROOT/org.openmobilealliance.xcap-directory/users/<XUI>/directory.xml
 *
 *   <xcap-directory xmlns="urn:oma:xml:xdm:xcap-directory">
 *     <folder auid="org.3gpp.mcptt.user-profile">
 *       <entry uri="ROOT/org.3gpp.mcptt.user-profile/users/
 *                   sip:alice@a.mcx.test/user-profile-0.xml"
 *              etag="a1b2" last-modified="2026-11-25T09:00:00Z"
 *              size="1234"/>
 *     </folder>
 *   </xcap-directory>
 *
 * (the uri is one attribute value, split here to fit; ROOT is the CMS's
 * XCAP root URI). One <folder> per application usage (AUID), holding
 * either an <entry> per document or one <error-code> (the folder could
 * not be listed). Decoding keeps folders and entries in document order;
 * an empty folder (no entries, no error) is valid. Build a document with
 * xcapdir_alloc(), xcapdir_folder_add() and xcapdir_entry_add(); set a
 * folder's .error with mcx_strset() to send an <error-code> instead of
 * entries.
 */
#ifndef MCX_XCAPDIR_H
#define MCX_XCAPDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

struct mcx_diag;

#define MCX_XCAPDIR_MIME "application/vnd.oma.xcap-directory+xml"
#define MCX_XCAPDIR_NS   "urn:oma:xml:xdm:xcap-directory"
#define MCX_XCAPDIR_AUID "org.openmobilealliance.xcap-directory"
#define MCX_XCAPDIR_DOC  "directory.xml"

enum {
	XCAPDIR_MAX_FOLDERS = 32,	/**< Folders per document            */
	XCAPDIR_MAX_ENTRIES = 128,	/**< Entries, all folders together   */
	XCAPDIR_AUID_MAX    = 128,	/**< A folder's auid, bytes          */
	XCAPDIR_URI_MAX     = 1024,	/**< An entry's uri, bytes           */
	XCAPDIR_ETAG_MAX    = 128,	/**< An entry's etag, bytes          */
	XCAPDIR_DATE_MAX    = 64,	/**< An entry's last-modified, bytes */
	XCAPDIR_ERROR_MAX   = 256,	/**< A folder's <error-code>, bytes  */
	XCAPDIR_MAX_SIZE    = 65536,	/**< Largest document read or
					     written, bytes                  */
};

/** One <entry>: a document that exists */
struct xcapdir_entry {
	struct le le;		/**< Member of xcapdir_folder.entries      */
	char *uri;		/**< uri: the document's XCAP URI          */
	char *etag;		/**< etag: its current entity tag          */
	char *last_modified;	/**< last-modified (xs:dateTime), or NULL  */
	bool has_size;		/**< size present                          */
	uint64_t size;		/**< size, bytes, when has_size            */
};

/** One <folder>: the documents of one application usage */
struct xcapdir_folder {
	struct le le;		/**< Member of xcapdir.folders             */
	char *auid;		/**< auid, unique in the document          */
	struct list entries;	/**< struct xcapdir_entry, document order  */
	char *error;		/**< <error-code> text, or NULL; a folder
				     with an error has no entries          */
};

/** An xcap-directory document */
struct xcapdir {
	struct list folders;	/**< struct xcapdir_folder, document order */
};

int  xcapdir_alloc(struct xcapdir **dirp);
int  xcapdir_folder_add(struct xcapdir *dir, const char *auid,
			struct xcapdir_folder **folderp);
int  xcapdir_entry_add(struct xcapdir_folder *folder, const char *uri,
		       const char *etag, const char *last_modified,
		       int64_t size);
int  xcapdir_decode(struct xcapdir **dirp, const uint8_t *buf, size_t len,
		    struct mcx_diag *diag);
int  xcapdir_encode(struct mbuf *mb, const struct xcapdir *dir);
int  xcapdir_print(struct re_printf *pf, const struct xcapdir *dir);
struct xcapdir_folder *xcapdir_find(const struct xcapdir *dir,
				    const char *auid);
unsigned xcapdir_count(const struct xcapdir *dir);
bool xcapdir_date_valid(const char *s);

#endif
