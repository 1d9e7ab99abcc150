/** Response JSON typed loosely: tests assert on the shape themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const jsonOf = (res: Response): Promise<any> => res.json();
