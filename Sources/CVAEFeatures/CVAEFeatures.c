// The header carries everything; SwiftPM needs one source file to build a C target.
#include "CVAEFeatures.h"
