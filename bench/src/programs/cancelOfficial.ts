/**
 * Cancels one job with cos-nodejs-sdk-v5 3.0.0 and prints the request id. The cold-start benchmark
 * runs it and the bundle-size benchmark bundles it.
 *
 * Usage: node cancelOfficial.cjs <endpoint>
 */
import COS from "cos-nodejs-sdk-v5"

const cos = new COS({ SecretId: "AKIDEXAMPLE", SecretKey: "SECRETKEYEXAMPLE" })

cos.request({
  Method: "PUT",
  Url: `${process.argv[2]}/inventorytriggerjob/b0123456789abcdef0123456789abcdef0`,
  Action: "cancel"
}, (error, data) => {
  if (error) {
    console.error(error)
    process.exit(1)
  }
  console.log(`cancelled, request id ${data.headers?.["x-ci-request-id"]}`)
})
