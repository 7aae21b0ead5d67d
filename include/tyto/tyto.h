/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tyto.h - the umbrella header of the tyto library, and its version.
 */
#ifndef TYTO_TYTO_H
#define TYTO_TYTO_H

#define TYTO_VERSION "0.1.0"

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/detect.h>
#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/frame.h>
#include <tyto/ingest.h>
#include <tyto/input.h>
#include <tyto/ip.h>
#include <tyto/json.h>
#include <tyto/parser.h>
#include <tyto/report.h>
#include <tyto/sigma.h>
#include <tyto/store.h>
#include <tyto/str.h>
#include <tyto/time.h>

#endif
