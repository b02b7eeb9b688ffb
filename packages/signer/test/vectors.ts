import type * as Signer from "@effect-cos/signer/Signer"
import * as Crypto from "node:crypto"

// Known-answer vectors for the COS sha1 signature.
//
// D1 and D2 are the two worked examples on the COS signature page (cloud.tencent.com/document/product/436/7778).
// They sign `date`, which the default header filter leaves out, so they use an explicit header list.
// N1 to N8 and V1 to V6 were produced by `COS.getAuthorization` of cos-nodejs-sdk-v5@3.0.0 with fixed key
// times. N6 is the exception: it holds the value in the published key order, where that SDK differs.

/** A request to sign and the expected result. */
export interface Vector {
  readonly name: string
  readonly description: string
  readonly secretId: string
  readonly secretKey: string
  readonly keyTime: Signer.KeyTime
  readonly method: string
  readonly pathname: string
  readonly query: Readonly<Record<string, Signer.ParameterValue>>
  readonly headers: Readonly<Record<string, Signer.ParameterValue>>
  readonly signAllHeaders?: boolean
  readonly expected: {
    readonly headerList: string
    readonly urlParamList: string
    readonly signature: string
    readonly httpString?: string
    readonly httpStringSha1?: string
  }
}

const docSecretId = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"
const docSecretKey = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"
const sdkKeyTime = { start: 1700000000, end: 1700003600 }
const ciHost = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com"
const cosHost = "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"

/** The shared fixture of the cancel vectors V1 to V6. */
export const fixture = {
  secretId: "AKIDEXAMPLE",
  secretKey: "SECRETKEYEXAMPLE",
  keyTime: { start: 1700000000, end: 1700000900 },
  signKey: "472ce45f70b562f91089efd947ae913134e4b890",
  ciHost,
  cosHost,
  jobId: "b0123456789abcdef0123456789abcdef0",
  sessionToken: "TOKENEXAMPLE+/="
} as const

const createBody =
  "<Request><Name>demo</Name><Type>Job</Type><Input><Prefix>input/</Prefix></Input><Operation><Tag>Transcode</Tag>" +
  "<QueueId>p893bcda225bf4945a378da6662e81a89</QueueId><JobParam><TemplateId>t1460606b9752148c4ab182f55163ba7cd" +
  "</TemplateId></JobParam><Output><Region>ap-guangzhou</Region><Bucket>examplebucket-1250000000</Bucket>" +
  "<Object>out/${InventoryTriggerJobId}.mp4</Object></Output></Operation></Request>"

const sdk = { secretId: docSecretId, secretKey: docSecretKey, keyTime: sdkKeyTime }
const cancel = {
  secretId: fixture.secretId,
  secretKey: fixture.secretKey,
  keyTime: fixture.keyTime,
  method: "PUT",
  pathname: `/inventorytriggerjob/${fixture.jobId}`
}

export const vectors: ReadonlyArray<Vector> = [
  {
    name: "D1",
    description: "documented PUT with Date, MD5 and x-cos headers",
    secretId: docSecretId,
    secretKey: docSecretKey,
    keyTime: { start: 1557989151, end: 1557996351 },
    method: "put",
    pathname: "/exampleobject(腾讯云)",
    query: {},
    headers: {
      "Content-Length": "13",
      "Content-MD5": "mQ/fVh815F3k6TAUm8m0eg==",
      "Content-Type": "text/plain",
      Date: "Thu, 16 May 2019 06:45:51 GMT",
      Host: "examplebucket-1250000000.cos.ap-beijing.myqcloud.com",
      "x-cos-acl": "private",
      "x-cos-grant-read": "uin=\"100000000011\""
    },
    signAllHeaders: true,
    expected: {
      headerList: "content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read",
      urlParamList: "",
      httpStringSha1: "8b2751e77f43a0995d6e9eb9477f4b685cca4172",
      signature: "3b8851a11a569213c17ba8fa7dcf2abec6935172"
    }
  },
  {
    name: "D2",
    description: "documented GET with response-* parameters",
    secretId: docSecretId,
    secretKey: docSecretKey,
    keyTime: { start: 1557989753, end: 1557996953 },
    method: "get",
    pathname: "/exampleobject(腾讯云)",
    query: { "response-content-type": "application/octet-stream", "response-cache-control": "max-age=600" },
    headers: { Date: "Thu, 16 May 2019 06:55:53 GMT", Host: "examplebucket-1250000000.cos.ap-beijing.myqcloud.com" },
    signAllHeaders: true,
    expected: {
      headerList: "date;host",
      urlParamList: "response-cache-control;response-content-type",
      httpStringSha1: "54ecfe22f59d3514fdc764b87a32d8133ea611e6",
      signature: "01681b8c9d798a678e43b685a9f1bba0f6c0e012"
    }
  },
  {
    name: "N1",
    description: "cancel with the sub-resource signed",
    ...sdk,
    method: "PUT",
    pathname: "/inventorytriggerjob/b8f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
    query: { cancel: "" },
    headers: { Host: ciHost, "Content-Length": "0" },
    expected: {
      headerList: "content-length;host",
      urlParamList: "cancel",
      httpString: "put\n/inventorytriggerjob/b8f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e\ncancel=\ncontent-length=0&host=" +
        ciHost + "\n",
      httpStringSha1: "fdc09271055158f570e48949bdb55e8a0ce0bf0d",
      signature: "0b1ed3061bdd28b7c25b68e626b82d238aa3ba5c"
    }
  },
  {
    name: "N2",
    description: "describe",
    ...sdk,
    method: "GET",
    pathname: "/inventorytriggerjob/b8f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
    query: {},
    headers: { Host: ciHost },
    expected: {
      headerList: "host",
      urlParamList: "",
      httpStringSha1: "db7e9d30ea952e58ae73cb1df974cf1881cab3c3",
      signature: "20dc1d671b3b9c1bac331c56ff60de3bb1653321"
    }
  },
  {
    name: "N3",
    description: "list with reserved characters in values and an empty value",
    ...sdk,
    method: "GET",
    pathname: "/inventorytriggerjob",
    query: {
      size: 100,
      states: "Running,Failed",
      orderByTime: "Asc",
      type: "Job",
      nextToken: "",
      startCreationTime: "2022-02-25T12:00:00+0800",
      endCreationTime: "2022-02-28T12:00:00+0800",
      workflowId: "w1234567890abcdef"
    },
    headers: { Host: ciHost },
    expected: {
      headerList: "host",
      urlParamList: "endcreationtime;nexttoken;orderbytime;size;startcreationtime;states;type;workflowid",
      httpString:
        "get\n/inventorytriggerjob\nendcreationtime=2022-02-28T12%3A00%3A00%2B0800&nexttoken=&orderbytime=Asc" +
        "&size=100&startcreationtime=2022-02-25T12%3A00%3A00%2B0800&states=Running%2CFailed&type=Job" +
        "&workflowid=w1234567890abcdef\nhost=" + ciHost + "\n",
      httpStringSha1: "d8b31b4b9f78b2ad1e528206fbab7c61238e909f",
      signature: "9bd908d4dfdb292285c87a597ced4ae746182c7a"
    }
  },
  {
    name: "N4",
    description: "create with a session token; user-agent and date left out",
    ...sdk,
    method: "POST",
    pathname: "/inventorytriggerjob",
    query: {},
    headers: {
      Host: ciHost,
      "Content-Type": "application/xml",
      "Content-Length": String(Buffer.byteLength(createBody)),
      "Content-MD5": Crypto.createHash("md5").update(createBody).digest("base64"),
      "x-ci-security-token": "tok/en+with=special&chars",
      "User-Agent": "cos-nodejs-sdk-v5-3.0.0",
      Date: "Tue, 14 Nov 2023 22:13:20 GMT"
    },
    expected: {
      headerList: "content-length;content-md5;content-type;host;x-ci-security-token",
      urlParamList: "",
      httpStringSha1: "14e6d1d8f75ec594448297e96951aea139612576",
      signature: "b4e0041cf8b364edd6496e2a65779cc9c11b78a9"
    }
  },
  {
    name: "N5",
    description: "unicode path and values, upper-case keys, reserved characters, edge spaces kept",
    ...sdk,
    method: "get",
    pathname: "/jobs/测试 a+b(1)*",
    query: { Prefix: "dir/子目录 a&b", "X-Empty": "", "tilde~key": "v~!*()'" },
    headers: { Host: ciHost, "X-CI-Custom": "  spaced value  ", "x-cos-meta-Uni": "值" },
    expected: {
      headerList: "host;x-ci-custom;x-cos-meta-uni",
      urlParamList: "prefix;tilde~key;x-empty",
      httpString:
        "get\n/jobs/测试 a+b(1)*\nprefix=dir%2F%E5%AD%90%E7%9B%AE%E5%BD%95%20a%26b&tilde~key=v~%21%2A%28%29%27" +
        "&x-empty=\nhost=" + ciHost + "&x-ci-custom=%20%20spaced%20value%20%20&x-cos-meta-uni=%E5%80%BC\n",
      httpStringSha1: "663da8992f52893aa6f64778b90f96761036507b",
      signature: "644471c2358e90193e0aeff87d7f7b1f8d596195"
    }
  },
  {
    name: "N6",
    description: "keys sorted after encoding, where the Node SDK sorts the raw keys",
    ...sdk,
    method: "GET",
    pathname: "/inventorytriggerjob",
    query: { "a-": "1", "a/": "2", z: "3", "é": "4" },
    headers: { Host: ciHost },
    expected: {
      headerList: "host",
      urlParamList: "%c3%a9;a%2f;a-;z",
      httpString: "get\n/inventorytriggerjob\n%c3%a9=4&a%2f=2&a-=1&z=3\nhost=" + ciHost + "\n",
      signature: "4203a5a9b1ff5cd6a2740b9e52d01fd1e3f80538"
    }
  },
  {
    name: "N7",
    description: "no parameters and no headers",
    ...sdk,
    method: "GET",
    pathname: "/",
    query: {},
    headers: {},
    expected: {
      headerList: "",
      urlParamList: "",
      httpString: "get\n/\n\n\n",
      httpStringSha1: "fe7958cba276b6f027f5ccb3acaaf32bb1f77d04",
      signature: "be2761cd90487a6dbd9ee0dc0026e8acd8558e97"
    }
  },
  {
    name: "N8",
    description: "null, undefined and numbers; path without a leading slash",
    ...sdk,
    method: "DELETE",
    pathname: "no-leading-slash",
    query: { a: null, b: undefined, c: 0 },
    headers: { Host: ciHost, "x-ci-n": 42 },
    expected: {
      headerList: "host;x-ci-n",
      urlParamList: "a;b;c",
      httpString: "delete\n/no-leading-slash\na=&b=&c=0\nhost=" + ciHost + "&x-ci-n=42\n",
      httpStringSha1: "d9367f9b5a5ede896c891360a6f3c544206b71b2",
      signature: "3cf29893f350529aa86af8a9ce68ee15e625f197"
    }
  },
  {
    name: "V1",
    description: "canonical cancel request on the CI host",
    ...cancel,
    query: { cancel: "" },
    headers: { Host: ciHost, "Content-Length": 0 },
    expected: {
      headerList: "content-length;host",
      urlParamList: "cancel",
      httpString: `put\n/inventorytriggerjob/${fixture.jobId}\ncancel=\ncontent-length=0&host=${ciHost}\n`,
      httpStringSha1: "31a4b0e4eeb500074ff97ab73c62c33087f45945",
      signature: "d620db259e4ab008ea0c4e8966c9d47e6d9de151"
    }
  },
  {
    name: "V3",
    description: "cancel without the sub-resource in the signature",
    ...cancel,
    query: {},
    headers: { Host: ciHost, "Content-Length": 0 },
    expected: {
      headerList: "content-length;host",
      urlParamList: "",
      signature: "197a8ba4e4beb71074a1b4566ab891dc76305093"
    }
  },
  {
    name: "V4",
    description: "cancel with a signed session token",
    ...cancel,
    query: { cancel: "" },
    headers: { Host: ciHost, "Content-Length": 0, "x-ci-security-token": fixture.sessionToken },
    expected: {
      headerList: "content-length;host;x-ci-security-token",
      urlParamList: "cancel",
      signature: "9ea4c4c0be34de6888eed9a504a6a20591e2c633"
    }
  },
  {
    name: "V6",
    description: "header and parameter names in other cases, with headers a proxy may rewrite",
    ...cancel,
    query: { Cancel: "" },
    headers: { HOST: ciHost, "content-length": "0", "User-Agent": "proxy-may-rewrite", "Accept-Encoding": "gzip" },
    expected: {
      headerList: "content-length;host",
      urlParamList: "cancel",
      signature: "d620db259e4ab008ea0c4e8966c9d47e6d9de151"
    }
  }
]
